using System.Text.Json;

namespace KDirective.Tests.Infra;

/// <summary>The first azd up cannot fail on the host key: only the second pass reads it, and only if asked to.</summary>
public class DeploymentPassTests
{
    private static readonly string[] Modules = ["monitoring", "storage", "host-storage", "identity", "keyvault", "functionapp", "app-roles", "agency-access", "eventgrid", "event-subscriptions", "alerts"];

    [Fact]
    public void TheHostKey_IsReadOnlyInsideTheSecondPass_WhichIsConditional()
    {
        var secondPass = Bicep.Module("event-subscriptions");
        Assert.Equal("[parameters('createEventSubscriptions')]", secondPass.GetProperty("condition").GetString());
        Assert.Contains("listKeys(", secondPass.GetProperty("properties").GetProperty("template").GetRawText());
        Assert.DoesNotContain("listKeys(", secondPass.GetProperty("properties").GetProperty("parameters").GetRawText());

        Assert.Equal(Modules.Order(), Bicep.Template.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).Order());
        foreach (var module in Modules.Where(m => m != "event-subscriptions"))
        {
            Assert.DoesNotContain("listKeys(", Bicep.Module(module).GetRawText());
        }

        Assert.False(Bicep.Template.GetProperty("parameters").GetProperty("createEventSubscriptions").GetProperty("defaultValue").GetBoolean());
    }

    [Fact]
    public void EventGrid_DeliversBlobCreatedFromInventoriesAndPlansToTheBlobExtension()
    {
        Assert.Equal("Microsoft.Storage.StorageAccounts", Assert.Single(Bicep.Resources("Microsoft.EventGrid/systemTopics")).GetProperty("properties").GetProperty("topicType").GetString());
        var subscription = Assert.Single(Bicep.ModuleResources("event-subscriptions", "Microsoft.EventGrid/systemTopics/eventSubscriptions")).GetProperty("properties");
        var filter = subscription.GetProperty("filter");
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter.GetProperty("includedEventTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["PutBlob", "PutBlockList", "CopyBlob", "FlushWithClose"], filter.GetProperty("advancedFilters")[0].GetProperty("values").EnumerateArray().Select(e => e.GetString()));
        var endpoint = subscription.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString();
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.{1}", endpoint);
        Assert.Contains("systemKeys.blobs_extension", endpoint);
        var triggers = File.ReadAllText(Path.Combine(Paths.Root, "infra", "modules", "event-subscriptions.bicep"));
        Assert.Contains("{ container: 'inventories', function: 'InventoryUploaded' }", triggers);
        Assert.Contains("{ container: 'plans', function: 'PlanUploaded' }", triggers);
    }

    [Fact]
    public void EverySubscription_DeadLettersToTheHostAccount_WithTheAppsIdentity()
    {
        var subscriptions = Bicep.Resources("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        Assert.NotEmpty(subscriptions);
        foreach (var subscription in subscriptions)
        {
            var deadLetter = subscription.GetProperty("properties").GetProperty("deadLetterWithResourceIdentity");
            Assert.Equal("UserAssigned", deadLetter.GetProperty("identity").GetProperty("type").GetString());
            Assert.Equal("[parameters('identityId')]", deadLetter.GetProperty("identity").GetProperty("userAssignedIdentity").GetString());
            var destination = deadLetter.GetProperty("deadLetterDestination");
            Assert.Equal("StorageBlob", destination.GetProperty("endpointType").GetString());
            Assert.Equal("[parameters('deadLetterStorageId')]", destination.GetProperty("properties").GetProperty("resourceId").GetString());
        }

        var passed = Bicep.ModuleParameters("event-subscriptions");
        Assert.Contains("'host-storage'", passed.GetProperty("deadLetterStorageId").GetProperty("value").GetString());
        Assert.Contains("'identity'", passed.GetProperty("identityId").GetProperty("value").GetString());
        var topic = Assert.Single(Bicep.Resources("Microsoft.EventGrid/systemTopics"));
        Assert.Contains("parameters('identityId')", topic.GetProperty("identity").GetProperty("userAssignedIdentities").GetRawText());
        Assert.Contains("app-roles", Bicep.Module("event-subscriptions").GetProperty("dependsOn").GetRawText());
    }

    [Fact]
    public void Alerts_WatchThePoisonQueueByName_DeadLetteredEvents_AndFunctionFailures()
    {
        var queries = Bicep.Resources("Microsoft.Insights/scheduledQueryRules").Select(r => r.GetProperty("properties").GetProperty("criteria").GetProperty("allOf")[0].GetProperty("query").GetString()!).ToArray();
        Assert.Contains(queries, q => q.StartsWith("requests | where success == false", StringComparison.Ordinal));
        var poison = Assert.Single(queries, q => q.Contains("StorageQueueLogs", StringComparison.Ordinal));
        Assert.Contains("OperationName == \"PutMessage\"", poison);
        Assert.Contains("variables('poisonQueue')", poison);
        Assert.Equal("webjobs-blobtrigger-poison", Bicep.ModuleTemplate("alerts").GetProperty("variables").GetProperty("poisonQueue").GetString());
        foreach (var module in new[] { "storage", "host-storage" })
        {
            var logs = Assert.Single(Bicep.ModuleResources(module, "Microsoft.Insights/diagnosticSettings")).GetProperty("properties").GetProperty("logs");
            Assert.Equal("StorageWrite", Assert.Single(logs.EnumerateArray()).GetProperty("category").GetString());
        }

        var metric = Assert.Single(Bicep.Resources("Microsoft.Insights/metricAlerts")).GetProperty("properties");
        var criterion = metric.GetProperty("criteria").GetProperty("allOf")[0];
        Assert.Equal("DeadLetteredCount", criterion.GetProperty("metricName").GetString());
        Assert.Equal("Microsoft.EventGrid/systemTopics", criterion.GetProperty("metricNamespace").GetString());
        Assert.Equal(["[parameters('topicId')]"], metric.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.DoesNotContain("QueueMessageCount", Bicep.ModuleTemplate("alerts").GetRawText());
        Assert.Equal("[parameters('operatorEmail')]", Assert.Single(Bicep.Resources("Microsoft.Insights/actionGroups")).GetProperty("properties").GetProperty("emailReceivers")[0].GetProperty("emailAddress").GetString());
    }
}
