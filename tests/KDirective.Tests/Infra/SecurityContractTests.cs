using System.Text.Json;

namespace KDirective.Tests.Infra;

/// <summary>The security properties of the deployment, asserted on the compiled ARM JSON.</summary>
public class SecurityContractTests
{
    private static JsonElement Properties(string type) => Assert.Single(Bicep.Resources(type)).GetProperty("properties");

    private static string Text(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.String ? e.GetProperty(name).GetString()! : e.GetProperty(name).GetRawText();

    [Theory]
    [InlineData("storage")]
    [InlineData("host-storage")]
    public void BothStorageAccounts_HaveNoSharedKeysNoPublicAccessAndModernTls(string module)
    {
        var storage = Assert.Single(Bicep.ModuleResources(module, "Microsoft.Storage/storageAccounts")).GetProperty("properties");

        Assert.False(storage.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(storage.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.True(storage.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", storage.GetProperty("minimumTlsVersion").GetString());
        Assert.All(Bicep.ModuleResources(module, "Microsoft.Storage/storageAccounts/blobServices/containers"), c => Assert.Equal("None", c.GetProperty("properties").GetProperty("publicAccess").GetString()));
    }

    [Fact]
    public void AgencyUploads_HaveSoftDeleteAndVersioning_AndTheDataContainersExist()
    {
        var blob = Assert.Single(Bicep.ModuleResources("storage", "Microsoft.Storage/storageAccounts/blobServices")).GetProperty("properties");
        Assert.True(blob.GetProperty("isVersioningEnabled").GetBoolean());
        Assert.True(blob.GetProperty("deleteRetentionPolicy").GetProperty("enabled").GetBoolean());
        Assert.True(blob.GetProperty("containerDeleteRetentionPolicy").GetProperty("enabled").GetBoolean());

        var containers = Bicep.ModuleTemplate("storage").GetProperty("variables").GetProperty("containers").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(["inventories", "plans", "results"], containers);
    }

    [Fact]
    public void HostStorage_HoldsTheDeploymentPackageAndDeadLetters_AndExpiresReplacedPackages()
    {
        Assert.Equal("deploymentpackage", Bicep.Template.GetProperty("variables").GetProperty("deploymentContainer").GetString());
        Assert.Equal("eventgrid-deadletter", Bicep.Template.GetProperty("variables").GetProperty("deadLetterContainer").GetString());
        var host = Bicep.ModuleParameters("host-storage");
        Assert.Equal("[variables('deploymentContainer')]", host.GetProperty("deploymentContainer").GetProperty("value").GetString());
        Assert.Equal("[variables('deadLetterContainer')]", host.GetProperty("deadLetterContainer").GetProperty("value").GetString());
        Assert.Contains("createArray(parameters('deploymentContainer'), parameters('deadLetterContainer'))", Assert.Single(Bicep.ModuleResources("host-storage", "Microsoft.Storage/storageAccounts/blobServices/containers")).GetProperty("name").GetString());

        var rule = Assert.Single(Assert.Single(Bicep.ModuleResources("host-storage", "Microsoft.Storage/storageAccounts/managementPolicies"))
            .GetProperty("properties").GetProperty("policy").GetProperty("rules").EnumerateArray());
        var definition = rule.GetProperty("definition");
        Assert.Equal("[format('{0}/', parameters('deploymentContainer'))]", definition.GetProperty("filters").GetProperty("prefixMatch")[0].GetString());
        Assert.Equal("[parameters('packageVersionRetentionDays')]", definition.GetProperty("actions").GetProperty("version").GetProperty("delete").GetProperty("daysAfterCreationGreaterThan").GetString());
        Assert.True(rule.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public void TheHostsConnection_IsTheHostAccount_AndTheAppsDataConnection_IsTheAgencyAccount()
    {
        var settings = AppSettings.Literal();
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            var capital = char.ToUpperInvariant(service[0]) + service[1..];
            Assert.Equal($"[parameters('host{capital}Endpoint')]", settings[$"AzureWebJobsStorage__{service}ServiceUri"]);
            Assert.Equal($"[parameters('data{capital}Endpoint')]", settings[$"InventoryStorage__{service}ServiceUri"]);
            Assert.Contains("'host-storage'", Bicep.ModuleParameters("functionapp").GetProperty($"host{capital}Endpoint").GetProperty("value").GetString());
            Assert.Contains("'storage'", Bicep.ModuleParameters("functionapp").GetProperty($"data{capital}Endpoint").GetProperty("value").GetString());
        }

        var site = Assert.Single(Bicep.Resources("Microsoft.Web/sites"));
        Assert.Equal("[format('{0}{1}', parameters('hostBlobEndpoint'), parameters('deploymentContainer'))]", site.GetProperty("properties").GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage").GetProperty("value").GetString());
        Assert.Contains("'storage'", Bicep.ModuleParameters("agency-access").GetProperty("storageName").GetProperty("value").GetString());
        Assert.Contains("'storage'", Bicep.ModuleParameters("eventgrid").GetProperty("storageId").GetProperty("value").GetString());
    }

    [Fact]
    public void FunctionApp_IsFlexConsumptionDotnetIsolated10_WithAUserAssignedIdentity()
    {
        var plan = Assert.Single(Bicep.Resources("Microsoft.Web/serverfarms"));
        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());

        var app = Assert.Single(Bicep.Resources("Microsoft.Web/sites"));
        Assert.Equal("UserAssigned", app.GetProperty("identity").GetProperty("type").GetString());
        var config = app.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal(("dotnet-isolated", "10.0"), (config.GetProperty("runtime").GetProperty("name").GetString(), config.GetProperty("runtime").GetProperty("version").GetString()));
        Assert.Equal("UserAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
        Assert.True(app.GetProperty("properties").GetProperty("httpsOnly").GetBoolean());
        Assert.False(app.GetProperty("properties").GetProperty("siteConfig").TryGetProperty("ftpsState", out _), "Flex Consumption rejects siteConfig.ftpsState");
        Assert.Equal(2, Bicep.Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies").Count(p => !p.GetProperty("properties").GetProperty("allow").GetBoolean()));
    }

    [Fact]
    public void Connections_AreIdentityBased_AndTheSendGridKeyIsAKeyVaultReference()
    {
        var settings = AppSettings.Literal();

        foreach (var connection in new[] { "AzureWebJobsStorage", "InventoryStorage" })
        {
            Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
            foreach (var suffix in new[] { "clientId", "blobServiceUri", "queueServiceUri", "tableServiceUri" })
            {
                Assert.True(settings.ContainsKey($"{connection}__{suffix}"), $"{connection}__{suffix} is not set");
            }

            Assert.False(settings.ContainsKey(connection), $"{connection} must not be a connection string");
        }

        Assert.Equal("[if(parameters('sendGridEnabled'), format('@Microsoft.KeyVault(SecretUri={0})', parameters('sendGridSecretUri')), '')]", settings["SendGrid__ApiKey"]);
        Assert.Equal("[equals(parameters('emailDelivery'), 'sendgrid')]", Bicep.ModuleParameters("functionapp").GetProperty("sendGridEnabled").GetProperty("value").GetString());
        Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.DoesNotContain(settings.Values, v => v.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase) || v.Contains("InstrumentationKey=", StringComparison.Ordinal) && !v.StartsWith('['));
    }

    [Fact]
    public void KeyVault_IsRbacWithPurgeProtection_AndTheKeyIsASecureParameterNeverInTheParameterFile()
    {
        var vault = Properties("Microsoft.KeyVault/vaults");
        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(vault.GetProperty("enablePurgeProtection").GetBoolean());

        var parameter = Bicep.Template.GetProperty("parameters").GetProperty("sendGridApiKey");
        Assert.Equal("securestring", parameter.GetProperty("type").GetString());
        Assert.Equal(string.Empty, parameter.GetProperty("defaultValue").GetString());
        foreach (var file in new[] { "main.parameters.json", "manual.bicepparam" })
        {
            Assert.DoesNotMatch("SG\\.[A-Za-z0-9_-]{10,}", File.ReadAllText(Path.Combine(Paths.Root, "infra", file)));
        }
    }

    [Fact]
    public void Monitoring_HasLocalAuthDisabled()
    {
        Assert.True(Properties("Microsoft.Insights/components").GetProperty("DisableLocalAuth").GetBoolean());
        Assert.True(Properties("Microsoft.OperationalInsights/workspaces").GetProperty("features").GetProperty("disableLocalAuth").GetBoolean());
    }

    [Fact]
    public void AppIdentity_GetsExactlyTheRolesItNeeds_WithDeterministicNames()
    {
        var module = Bicep.ModuleTemplate("app-roles");
        var roles = module.GetProperty("variables").GetProperty("roles");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["storageBlobDataOwner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
                ["storageBlobDataContributor"] = "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
                ["storageQueueDataContributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
                ["storageTableDataContributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
                ["keyVaultSecretsUser"] = "4633458b-17de-408a-b874-0445c86b69e6",
                ["monitoringMetricsPublisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
            },
            roles.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));

        var text = module.GetRawText();
        foreach (var role in roles.EnumerateObject())
        {
            Assert.Contains($"variables('roles').{role.Name}", text);
        }

        Assert.All(Bicep.Resources("Microsoft.Authorization/roleAssignments"), a => Assert.StartsWith("[guid(", a.GetProperty("name").GetString()));
        var assignments = Bicep.ModuleResources("app-roles", "Microsoft.Authorization/roleAssignments").Select(a => a.GetRawText()).ToArray();
        Assert.Contains(assignments, a => a.Contains("parameters('hostStorageName')", StringComparison.Ordinal) && a.Contains("variables('roles').storageBlobDataOwner", StringComparison.Ordinal));
        Assert.Contains(assignments, a => a.Contains("parameters('dataStorageName')", StringComparison.Ordinal) && a.Contains("variables('roles').storageBlobDataContributor", StringComparison.Ordinal));
    }
}
