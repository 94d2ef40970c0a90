using System.Text.Json;

namespace KDirective.Tests.Infra;

/// <summary>The security properties of the deployment, asserted on the compiled ARM JSON.</summary>
public class SecurityContractTests
{
    private static JsonElement Properties(string type) => Assert.Single(Bicep.Resources(type)).GetProperty("properties");

    private static string Text(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.String ? e.GetProperty(name).GetString()! : e.GetProperty(name).GetRawText();

    [Fact]
    public void StorageAccount_HasNoSharedKeysNoPublicAccessAndModernTls()
    {
        var storage = Properties("Microsoft.Storage/storageAccounts");

        Assert.False(storage.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(storage.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.True(storage.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", storage.GetProperty("minimumTlsVersion").GetString());
    }

    [Fact]
    public void Blobs_HaveSoftDeleteAndVersioning_AndTheContainersExist()
    {
        var blob = Properties("Microsoft.Storage/storageAccounts/blobServices");
        Assert.True(blob.GetProperty("isVersioningEnabled").GetBoolean());
        Assert.True(blob.GetProperty("deleteRetentionPolicy").GetProperty("enabled").GetBoolean());
        Assert.True(blob.GetProperty("containerDeleteRetentionPolicy").GetProperty("enabled").GetBoolean());

        var containers = Bicep.ModuleTemplate("storage").GetProperty("variables").GetProperty("containers").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(["inventories", "plans", "results", "[parameters('deploymentContainer')]"], containers);
        Assert.Equal("deploymentpackage", Bicep.Template.GetProperty("variables").GetProperty("deploymentContainer").GetString());
        var container = Bicep.Resources("Microsoft.Storage/storageAccounts/blobServices/containers").Single();
        Assert.Equal("None", container.GetProperty("properties").GetProperty("publicAccess").GetString());
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

        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})'", settings["SendGrid__ApiKey"]);
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
        var paramFile = File.ReadAllText(Path.Combine(Paths.Root, "infra", "main.bicepparam"));
        Assert.Contains("param sendGridApiKey = readEnvironmentVariable('SENDGRID_API_KEY', '')", paramFile);
        Assert.DoesNotMatch("SG\\.[A-Za-z0-9_-]{10,}", paramFile);
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
    }

    private static string Condition(string roleVariable, string agency)
    {
        var module = Bicep.ModuleTemplate("agency-access");
        var assignment = module.GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!.Contains($"variables('{roleVariable}')", StringComparison.Ordinal));
        using var uploader = JsonDocument.Parse(JsonSerializer.Serialize(new { agency }));
        return new ArmExpression(module.GetProperty("variables"), uploader.RootElement).Evaluate(assignment.GetProperty("properties").GetProperty("condition").GetString()!);
    }

    [Fact]
    public void AgencyUploaders_AreConfinedToTheirOwnFoldersByAbacConditions()
    {
        var variables = Bicep.ModuleTemplate("agency-access").GetProperty("variables");
        Assert.Equal("ba92f5b4-2d11-453d-a403-e96b0029c9fe", variables.GetProperty("blobDataContributor").GetString());
        Assert.Equal("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", variables.GetProperty("blobDataReader").GetString());
        const string path = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]";
        const string prefix = "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix]";
        const string container = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]";

        var upload = Condition("blobDataContributor", "doc");
        var uploadContainers = $"({container} StringEquals 'inventories' OR {container} StringEquals 'plans')";
        Assert.Contains($"{uploadContainers} AND {path} StringStartsWith 'doc/'", upload);
        Assert.Contains($"{uploadContainers} AND {prefix} StringStartsWith 'doc/'", upload);
        Assert.Contains("!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})", upload);
        Assert.EndsWith("AND (!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'}))", upload);
        Assert.DoesNotContain("results", upload);

        var results = Condition("blobDataReader", "doc");
        Assert.Contains($"{container} StringEquals 'results' AND {path} StringStartsWith 'doc/'", results);
        Assert.Contains($"{container} StringEquals 'results' AND {prefix} StringStartsWith 'doc/'", results);
        Assert.DoesNotContain("write", results);

        Assert.Contains("StringStartsWith 'treas/'", Condition("blobDataContributor", "treas"));
        Assert.DoesNotContain("'doc/'", Condition("blobDataContributor", "treas"));
    }

    [Fact]
    public void EventGrid_DeliversBlobCreatedFromInventoriesAndPlansToTheBlobExtension()
    {
        Assert.Equal("Microsoft.Storage.StorageAccounts", Properties("Microsoft.EventGrid/systemTopics").GetProperty("topicType").GetString());
        var subscription = Assert.Single(Bicep.Resources("Microsoft.EventGrid/systemTopics/eventSubscriptions")).GetProperty("properties");
        var filter = subscription.GetProperty("filter");
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter.GetProperty("includedEventTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["PutBlob", "PutBlockList", "CopyBlob", "FlushWithClose"], filter.GetProperty("advancedFilters")[0].GetProperty("values").EnumerateArray().Select(e => e.GetString()));
        var endpoint = subscription.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString();
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.{1}", endpoint);
        Assert.Contains("systemKeys.blobs_extension", endpoint);
        // From the compiled template, not the Bicep text: one subscription per (container, function) pair.
        var triggers = Bicep.ModuleTemplate("eventgrid").GetProperty("variables").GetProperty("triggers").EnumerateArray()
            .Select(t => (t.GetProperty("container").GetString(), t.GetProperty("function").GetString()));
        Assert.Equal([("inventories", "InventoryUploaded"), ("plans", "PlanUploaded")], triggers);
        var loop = Assert.Single(Bicep.Resources("Microsoft.EventGrid/systemTopics/eventSubscriptions")).GetProperty("copy");
        Assert.Equal("[length(variables('triggers'))]", loop.GetProperty("count").GetString());
    }

    [Fact]
    public void Alerts_WatchFunctionFailuresAndPoisonBlobs_AndEmailTheOperator()
    {
        Assert.Single(Bicep.Resources("Microsoft.Insights/scheduledQueryRules"));
        var poison = Properties("Microsoft.Insights/metricAlerts");
        Assert.Equal("QueueMessageCount", poison.GetProperty("criteria").GetProperty("allOf")[0].GetProperty("metricName").GetString());
        Assert.Equal("[parameters('operatorEmail')]", Properties("Microsoft.Insights/actionGroups").GetProperty("emailReceivers")[0].GetProperty("emailAddress").GetString());
    }
}
