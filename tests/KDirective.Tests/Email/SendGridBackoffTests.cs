using KDirective.Email;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KDirective.Tests.Email;

/// <summary>The waits between attempts, measured where they happen: between the requests the fake SendGrid received.</summary>
public class SendGridBackoffTests
{
    private static readonly EmailMessage Message = new("backoff-key", ["ciso@test.example.gov"], [], "BOD 17-01: backoff", "text", "<p>html</p>", []);

    private static SendGridEmailSender Sender(FakeSendGrid fake, TimeSpan baseDelay, TimeSpan? maxDelay = null) => new(
        new HttpClient(),
        Options.Create(new SendGridOptions { ApiKey = "SG.test-only", Host = fake.Host, MaxAttempts = 4, BaseDelay = baseDelay, MaxDelay = maxDelay ?? TimeSpan.FromSeconds(5) }),
        Options.Create(new EmailOptions()),
        NullLogger<SendGridEmailSender>.Instance);

    private static TimeSpan[] Gaps(FakeSendGrid fake)
    {
        var times = fake.Requests.Select(r => r.At).ToArray();
        return times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
    }

    [Fact]
    public async Task Send_ServerErrors_WaitTheBaseDelayThenTwiceIt()
    {
        await using var fake = new FakeSendGrid();
        fake.Script((500, null), (503, null));

        var result = await Sender(fake, TimeSpan.FromMilliseconds(300)).SendAsync(Message);

        Assert.True(result.Sent);
        var gaps = Gaps(fake);
        Assert.Equal(2, gaps.Length);
        Assert.True(gaps[0] >= TimeSpan.FromMilliseconds(280), $"first retry after {gaps[0].TotalMilliseconds} ms, expected the 300 ms base delay");
        Assert.True(gaps[1] >= TimeSpan.FromMilliseconds(580), $"second retry after {gaps[1].TotalMilliseconds} ms, expected twice the base delay");
    }

    [Fact]
    public async Task Send_RetryAfterLongerThanTheBackoff_IsHonoured_AndTheMaximumCapsIt()
    {
        await using var fake = new FakeSendGrid();
        fake.Script((429, "1"), (429, "30"));

        var result = await Sender(fake, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(1500)).SendAsync(Message);

        Assert.True(result.Sent);
        var gaps = Gaps(fake);
        Assert.True(gaps[0] >= TimeSpan.FromMilliseconds(950), $"retried {gaps[0].TotalMilliseconds} ms after 'Retry-After: 1'");
        Assert.InRange(gaps[1], TimeSpan.FromMilliseconds(1450), TimeSpan.FromSeconds(10)); // 30 s asked, 1.5 s cap
    }
}
