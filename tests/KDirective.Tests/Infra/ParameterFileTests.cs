using System.Text.Json;
using System.Text.RegularExpressions;

namespace KDirective.Tests.Infra;

/// <summary>What azd and a manual deployment read: no placeholder principals, no secrets, the key only from azd's environment.</summary>
public class ParameterFileTests
{
    private static string Infra(string file) => Path.Combine(Paths.Root, "infra", file);

    [Fact]
    public void Azd_ReadsMainParametersJson_BecauseABicepparamNamedMainWouldWinAndCannotResolveEnvironmentSecrets()
    {
        Assert.False(File.Exists(Infra("main.bicepparam")), "azd prefers main.bicepparam over main.parameters.json, and azd env set-secret works only with the JSON file");
        var text = File.ReadAllText(Infra("main.parameters.json"));

        Assert.Contains("\"sendGridApiKey\": { \"value\": \"${SENDGRID_API_KEY}\" }", text);
        Assert.Contains("\"emailDelivery\": { \"value\": \"${KDIRECTIVE_EMAIL_DELIVERY=sendgrid}\" }", text);
        Assert.Contains("\"createEventSubscriptions\": { \"value\": ${KDIRECTIVE_EVENT_SUBSCRIPTIONS=false} }", text);
    }

    [Fact]
    public void MainParametersJson_SetsOnlyParametersMainBicepDeclares_AndNoAgencyUploadersYet()
    {
        // azd substitutes ${...} before parsing; a substituted copy is what ARM receives.
        var substituted = Regex.Replace(File.ReadAllText(Infra("main.parameters.json")), @"\$\{[A-Z_]+=(false|true)\}", "$1").Replace("${", "x{", StringComparison.Ordinal);
        using var json = JsonDocument.Parse(substituted);
        var declared = Bicep.Template.GetProperty("parameters");
        var parameters = json.RootElement.GetProperty("parameters");

        Assert.All(parameters.EnumerateObject(), p => Assert.True(declared.TryGetProperty(p.Name, out _), $"{p.Name} is not a parameter of main.bicep"));
        Assert.Equal(0, parameters.GetProperty("agencyUploaders").GetProperty("value").GetArrayLength());
    }

    [Theory]
    [InlineData("main.parameters.json")]
    [InlineData("manual.bicepparam")]
    public void NoParameterFile_NamesAPrincipalOrASecret(string file)
    {
        var text = File.ReadAllText(Infra(file));

        Assert.DoesNotMatch(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", text);
        Assert.DoesNotMatch(@"SG\.[A-Za-z0-9_-]{10,}", text);
    }

    [Fact]
    public void ManualParameters_ShipNoAgencyUploaders_AndReadTheKeyFromTheEnvironment()
    {
        var (code, output, error) = Bicep.Run(BicepTests.ManualEnvironment, "build-params", "manual.bicepparam", "--stdout");
        Assert.True(code == 0, error);
        using var built = JsonDocument.Parse(output);
        using var parameters = JsonDocument.Parse(built.RootElement.GetProperty("parametersJson").GetString()!);
        var values = parameters.RootElement.GetProperty("parameters");

        Assert.Equal(0, values.GetProperty("agencyUploaders").GetProperty("value").GetArrayLength());
        Assert.Equal("prod", values.GetProperty("environmentName").GetProperty("value").GetString());
        Assert.Contains("param sendGridApiKey = readEnvironmentVariable('SENDGRID_API_KEY', '')", File.ReadAllText(Infra("manual.bicepparam")));
    }
}
