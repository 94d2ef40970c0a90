using System.Reflection;
using System.Text.Json;
using KDirective.Email;
using KDirective.Functions;
using KDirective.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KDirective.Tests.Boot;

/// <summary>The app as Azure would start it, with the settings the compiled Bicep gives the site.</summary>
public class BootTests
{
    /// <summary>Classes with a [Function] method: the worker creates one per invocation with ActivatorUtilities.</summary>
    internal static Type[] FunctionClasses() => typeof(AppHost).Assembly.GetTypes()
        .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null)).ToArray();

    [Fact]
    public void WithTheCompiledSettings_EveryFunctionClassResolves_AndEveryOptionsClassValidates()
    {
        using var host = BootedApp.Build(CompiledSettings.Resolve(AzureStandIns.With("SG.boot-test-key", sendGridRequired: true)));

        BootedApp.ValidateOnStart(host);

        var metadata = Path.Combine(Paths.Root, "functions", "KDirective.Functions", "bin", "Debug", "net10.0", "functions.metadata");
        using var json = JsonDocument.Parse(File.ReadAllText(metadata));
        var indexed = json.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order().ToArray();
        Assert.Equal(indexed, FunctionClasses().SelectMany(t => t.GetMethods()).Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name).OfType<string>().Order());
        Assert.All(FunctionClasses(), type => Assert.NotNull(ActivatorUtilities.CreateInstance(host.Services, type)));
    }

    [Fact]
    public void WithTheCompiledSettings_TheAppReadsTheAgencyAccountWithItsIdentity_NotTheHostAccount()
    {
        using var host = BootedApp.Build(CompiledSettings.Resolve(AzureStandIns.With("SG.boot-test-key", sendGridRequired: true)));

        var storage = host.Services.GetRequiredService<StorageConnection>();

        Assert.Equal(new Uri(AzureStandIns.DataBlobUri), storage.Blobs.Uri);
        Assert.Equal(new Uri(AzureStandIns.DataTableUri), storage.Tables.Uri);
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "StorageWarmUp");
    }

    [Fact]
    public void WithAResolvedKey_EmailGoesThroughSendGrid()
    {
        using var host = BootedApp.Build(CompiledSettings.Resolve(AzureStandIns.With("SG.boot-test-key", sendGridRequired: true)));

        BootedApp.ValidateOnStart(host);

        Assert.IsType<SendGridEmailSender>(host.Services.GetRequiredService<IEmailSender>());
    }

    [Fact]
    public void OutboxOnly_ChosenExplicitly_StartsWithTheOutboxSender()
    {
        using var host = BootedApp.Build(CompiledSettings.Resolve(AzureStandIns.With(string.Empty, sendGridRequired: false)));

        BootedApp.ValidateOnStart(host);

        Assert.IsType<OutboxEmailSender>(host.Services.GetRequiredService<IEmailSender>());
    }

    [Fact]
    public void AnUnresolvedKeyVaultReference_FailsStartUp_NamingTheSettingButNotItsValue()
    {
        using var host = BootedApp.Build(CompiledSettings.Resolve(AzureStandIns.With(AzureStandIns.UnresolvedReference, sendGridRequired: true)));

        var error = Assert.Throws<OptionsValidationException>(() => BootedApp.ValidateOnStart(host));

        Assert.Contains("App setting SendGrid__ApiKey holds an unresolved Key Vault reference", error.Message);
        Assert.DoesNotContain("kv-boot", error.Message);
    }

    [Fact]
    public void SendGridRequired_WithNoKey_FailsStartUp_NamingBothWaysOut()
    {
        using var host = BootedApp.Build(CompiledSettings.Resolve(AzureStandIns.With(string.Empty, sendGridRequired: true)));

        var error = Assert.Throws<OptionsValidationException>(() => BootedApp.ValidateOnStart(host));

        Assert.Contains("SendGrid__ApiKey is empty", error.Message);
        Assert.Contains("KDIRECTIVE_EMAIL_DELIVERY=outbox", error.Message);
    }
}
