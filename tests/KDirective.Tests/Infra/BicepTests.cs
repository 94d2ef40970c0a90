using System.Text.Json;

namespace KDirective.Tests.Infra;

public class BicepTests
{
    /// <summary>What an operator sets before deploying by hand; manual.bicepparam reads them.</summary>
    internal static readonly IReadOnlyDictionary<string, string?> ManualEnvironment = new Dictionary<string, string?>
    {
        ["AZURE_ENV_NAME"] = "prod",
        ["AZURE_LOCATION"] = "eastus2",
        ["KDIRECTIVE_EMAIL_FROM"] = "bod-notifications@example.gov",
        ["KDIRECTIVE_OPERATOR_EMAIL"] = "operators@example.gov",
        ["KDIRECTIVE_DASHBOARD_CLIENT_ID"] = "00000000-0000-0000-0000-000000000000",
    };

    [Theory]
    [InlineData("main.bicep")]
    [InlineData("manual.bicepparam")]
    public void Lint_HasNoWarningsOrErrors(string file)
    {
        var (code, output, error) = Bicep.Run(ManualEnvironment, "lint", file);

        Assert.True(code == 0, error);
        Assert.Equal(string.Empty, (output + error).Trim());
    }

    [Theory]
    [InlineData("AZURE_ENV_NAME")]
    [InlineData("AZURE_LOCATION")]
    public void ManualParameters_RefuseToBuildWithoutTheEnvironmentNameOrLocation_SoNoSecondStackIsMadeByAccident(string variable)
    {
        var environment = ManualEnvironment.ToDictionary();
        environment[variable] = null;

        var (code, _, error) = Bicep.Run(environment, "build-params", "manual.bicepparam", "--stdout");

        Assert.NotEqual(0, code);
        Assert.Contains($"\"{variable}\" does not exist", error);
    }

    [Fact]
    public void Build_ProducesAnArmTemplateWithoutWarnings()
    {
        var (code, _, error) = Bicep.Run("build", "main.bicep", "--stdout");

        Assert.Equal(0, code);
        Assert.DoesNotContain("Warning", error);
        Assert.Equal("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", Bicep.Template.GetProperty("$schema").GetString());
    }

    [Fact]
    public void NoRegistryModules_AreUsed()
    {
        var sources = Directory.GetFiles(Path.Combine(Paths.Root, "infra"), "*.bicep*", SearchOption.AllDirectories);

        Assert.All(sources, f => Assert.DoesNotContain("br/public:", File.ReadAllText(f)));
    }
}
