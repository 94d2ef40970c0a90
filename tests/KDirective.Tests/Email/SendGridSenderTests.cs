using KDirective.Email;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KDirective.Tests.Email;

public class SendGridSenderTests
{
    private static readonly EmailMessage Message = new("test-key", ["ciso@test.example.gov"], ["cio@test.example.gov"], "BOD 17-01: test", "text", "<p>html</p>", []);

    internal static SendGridEmailSender Sender(FakeSendGrid fake, int maxAttempts = 4) => new(
        new HttpClient(),
        Options.Create(new SendGridOptions { ApiKey = "SG.test-only", Host = fake.Host, MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromSeconds(2) }),
        Options.Create(new EmailOptions()),
        NullLogger<SendGridEmailSender>.Instance);

    [Fact]
    public async Task Send_Accepted_PostsToMailSendWithTheKey()
    {
        await using var fake = new FakeSendGrid();

        var result = await Sender(fake).SendAsync(Message);

        Assert.True(result.Sent);
        var request = Assert.Single(fake.Requests);
        Assert.Equal("/v3/mail/send", request.Path);
        Assert.Equal("Bearer SG.test-only", request.Authorization);
        Assert.Contains("cio@test.example.gov", request.Body);
    }

    [Fact]
    public async Task Send_429ThenAccepted_WaitsForRetryAfterAndSendsOnce()
    {
        await using var fake = new FakeSendGrid();
        fake.Script((429, "1"));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = await Sender(fake).SendAsync(Message);

        Assert.True(result.Sent);
        Assert.Equal([429, 202], fake.Requests.Select(r => r.Status));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {watch.Elapsed}, before Retry-After");
    }

    [Fact]
    public async Task Send_ServerErrors_AreRetriedWithBackoff()
    {
        await using var fake = new FakeSendGrid();
        fake.Script((500, null), (503, null));

        var result = await Sender(fake).SendAsync(Message);

        Assert.True(result.Sent);
        Assert.Equal([500, 503, 202], fake.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task Send_ServerErrorsBeyondTheLimit_FailTransiently()
    {
        await using var fake = new FakeSendGrid();
        fake.Script((500, null), (500, null), (500, null));

        var result = await Sender(fake, maxAttempts: 3).SendAsync(Message);

        Assert.False(result.Sent);
        Assert.False(result.Permanent);
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task Send_400_IsAPermanentFailureWithoutRetry()
    {
        await using var fake = new FakeSendGrid();
        fake.Script((400, null));

        var result = await Sender(fake).SendAsync(Message);

        Assert.False(result.Sent);
        Assert.True(result.Permanent);
        Assert.Contains("400", result.Detail);
        Assert.Single(fake.Requests);
    }
}
