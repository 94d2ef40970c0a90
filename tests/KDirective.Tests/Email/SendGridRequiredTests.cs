using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KDirective.Tests.Email;

/// <summary>
/// In Azure the Bicep sets <c>SendGrid:Required</c>: a key that did not resolve must stop the app at start-up, not
/// send every email to a local folder nobody reads. Runs the start-up validation the host runs.
/// </summary>
public class SendGridRequiredTests
{
    private static void Start(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddKDirective(configuration);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Startup_SendGridRequiredWithoutAKey_Fails()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Start(("SendGrid:Required", "true")));

        Assert.Contains("SendGrid__ApiKey is empty", error.Message);
    }

    [Fact]
    public void Startup_SendGridRequiredWithABlankKey_Fails() =>
        Assert.Throws<OptionsValidationException>(() => Start(("SendGrid:Required", "true"), ("SendGrid:ApiKey", "  ")));

    [Fact]
    public void Startup_SendGridRequiredWithAKey_OrNotRequired_Starts()
    {
        Start(("SendGrid:Required", "true"), ("SendGrid:ApiKey", "SG.test-only"));
        Start(("SendGrid:Required", "false"));
        Start();
    }
}
