namespace KDirective.Tests.Infra;

/// <summary>The azd hooks, run for real with stand-ins for az and azd: what they check, wait for and call.</summary>
public class HookScriptTests
{
    private static readonly Dictionary<string, string> Deployed = new()
    {
        ["AZURE_FUNCTION_APP_NAME"] = "func-prod-abc",
        ["AZURE_RESOURCE_GROUP"] = "rg-prod",
        ["KDIRECTIVE_KEY_DELAY_SECONDS"] = "0",
        ["KDIRECTIVE_KEY_ATTEMPTS"] = "5",
    };

    private static readonly Dictionary<string, string> Addresses = new()
    {
        ["KDIRECTIVE_EMAIL_FROM"] = "bod@example.gov",
        ["KDIRECTIVE_OPERATOR_EMAIL"] = "ops@example.gov",
        ["KDIRECTIVE_DASHBOARD_CLIENT_ID"] = "0a1b2c3d-0000-4000-8000-00000000da5b",
    };

    [Fact]
    public void Postdeploy_WaitsForTheHostKey_ThenRunsTheSecondPass_AndResetsTheFlag()
    {
        using var hooks = new HookScripts("", "", "not-a-real-key");

        var (code, output, error) = hooks.Run("postdeploy.sh", Deployed);

        Assert.True(code == 0, error);
        var calls = hooks.Calls;
        Assert.Equal(3, calls.Count(c => c.StartsWith("az functionapp keys list -g rg-prod -n func-prod-abc --query systemKeys.blobs_extension", StringComparison.Ordinal)));
        Assert.Equal(["azd env set KDIRECTIVE_EVENT_SUBSCRIPTIONS true", "azd provision --no-prompt", "azd env set KDIRECTIVE_EVENT_SUBSCRIPTIONS false"], calls.Where(c => c.StartsWith("azd", StringComparison.Ordinal)));
        Assert.Contains("(2/5)", output);
        Assert.DoesNotContain("not-a-real-key", output + error);
    }

    [Fact]
    public void Postdeploy_GivesUpAfterItsAttempts_WithoutTouchingTheDeployment()
    {
        using var hooks = new HookScripts();

        var (code, _, error) = hooks.Run("postdeploy.sh", Deployed);

        Assert.Equal(1, code);
        Assert.Contains("func-prod-abc reported no blobs_extension key after 5 attempts", error);
        Assert.Equal(5, hooks.Calls.Length);
        Assert.DoesNotContain(hooks.Calls, c => c.StartsWith("azd", StringComparison.Ordinal));
    }

    [Fact]
    public void Preprovision_RefusesAFirstDeploymentWithoutTheSendGridKey_NamingBothWaysOut()
    {
        using var hooks = new HookScripts();

        var (code, _, error) = hooks.Run("preprovision.sh", Addresses);

        Assert.Equal(1, code);
        Assert.Contains("azd env set-secret SENDGRID_API_KEY", error);
        Assert.Contains("azd env set KDIRECTIVE_EMAIL_DELIVERY outbox", error);
    }

    [Theory]
    [InlineData("SENDGRID_API_KEY", "akvs://sub/vault/sendgrid")]
    [InlineData("KDIRECTIVE_EMAIL_DELIVERY", "outbox")]
    [InlineData("AZURE_KEY_VAULT_NAME", "kv-prod")]
    public void Preprovision_Passes_WithAKey_AnExplicitOutbox_OrAVaultFromAnEarlierDeployment(string name, string value)
    {
        using var hooks = new HookScripts();

        var (code, _, error) = hooks.Run("preprovision.sh", new Dictionary<string, string>(Addresses) { [name] = value });

        Assert.True(code == 0, error);
    }

    [Fact]
    public void Preprovision_RefusesAnUnknownDeliveryMode_AndMissingAddresses()
    {
        using var hooks = new HookScripts();

        var (code, _, error) = hooks.Run("preprovision.sh", new Dictionary<string, string>(Addresses) { ["KDIRECTIVE_EMAIL_DELIVERY"] = "smtp" });
        Assert.Equal(1, code);
        Assert.Contains("must be sendgrid or outbox, not 'smtp'", error);

        (code, _, error) = hooks.Run("preprovision.sh", new Dictionary<string, string> { ["SENDGRID_API_KEY"] = "x" });
        Assert.Equal(1, code);
        Assert.Contains("KDIRECTIVE_EMAIL_FROM is not set", error);

        var withoutDashboard = new Dictionary<string, string>(Addresses) { ["SENDGRID_API_KEY"] = "x" };
        withoutDashboard.Remove("KDIRECTIVE_DASHBOARD_CLIENT_ID");
        (code, _, error) = hooks.Run("preprovision.sh", withoutDashboard);
        Assert.Equal(1, code);
        Assert.Contains("KDIRECTIVE_DASHBOARD_CLIENT_ID is not set", error);
    }

    [Fact]
    public void AzureYaml_RunsBothHooks_OnPosixAndWindows()
    {
        var yaml = File.ReadAllText(Path.Combine(Paths.Root, "azure.yaml"));

        foreach (var hook in new[] { "preprovision", "postdeploy" })
        {
            Assert.Contains($"run: ./scripts/{hook}.sh", yaml);
            Assert.Contains($"run: ./scripts/{hook}.ps1", yaml);
            Assert.True(File.Exists(Path.Combine(Paths.Root, "scripts", $"{hook}.ps1")));
        }

        Assert.Contains("windows:", yaml);
        Assert.Contains("posix:", yaml);
    }
}
