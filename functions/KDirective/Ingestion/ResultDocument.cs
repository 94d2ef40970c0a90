using System.Text.Json;
using System.Text.Json.Nodes;
using KDirective.Inventory;

namespace KDirective.Ingestion;

/// <summary>The uploader's result blob: the <c>inspect --json</c> document, followed by the outcome.</summary>
internal static class ResultDocument
{
    public static BinaryData Create(SubmissionEntity submission, InventoryReport report, InventoryCoverage? coverage = null)
    {
        var json = JsonSerializer.SerializeToNode(InventoryJson.ToDocument(report, includeMatches: false), InventoryJson.Options)!.AsObject();
        json["outcome"] = submission.Outcome;
        json["agency"] = submission.PartitionKey == SubmissionEntity.UnassignedPartition ? null : submission.PartitionKey;
        json["submissionId"] = submission.SubmissionId;
        json["kind"] = submission.Kind;
        json["receivedAt"] = submission.ReceivedAt;
        if (coverage is not null)
        {
            // Partial: a status report that cannot close removal; the hosts it lacks still count as carrying the product.
            json["coverage"] = coverage.Kind;
            json["hostsLackingCount"] = coverage.HostsLacking;
            json["hostsLacking"] = new JsonArray(coverage.HostsLackingFirst.Select(h => (JsonNode?)h).ToArray());
            json["fleetSize"] = coverage.FleetSize;
            json["referenceFleetSize"] = coverage.ReferenceFleetSize;
        }

        return BinaryData.FromString(json.ToJsonString(InventoryJson.Options));
    }
}
