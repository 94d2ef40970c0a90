using KDirective.Email;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KDirective.Tests.Email;

internal static class SendGridPipeline
{
    /// <summary>The library's real services over Azurite, sending through <paramref name="sendGrid"/> with short backoffs.</summary>
    public static ServiceProvider Create(AzuriteFixture azurite, FakeSendGrid sendGrid, FakeTimeProvider clock, int maxAttempts = 3, IDictionary<string, string?>? config = null, Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>(config ?? new Dictionary<string, string?>()) { ["SendGrid:ApiKey"] = "SG.test-only" };
        return Pipeline.Create(azurite, time: clock, config: settings, configure: s =>
        {
            s.Configure<SendGridOptions>(o =>
            {
                o.Host = sendGrid.Host;
                o.BaseDelay = TimeSpan.FromMilliseconds(10);
                o.MaxAttempts = maxAttempts;
            });
            configure?.Invoke(s);
        });
    }
}
