using System.Text.Json;
using System.Text.Json.Nodes;
using KDirective.Inventory;

namespace KDirective.Ingestion;

/// <summary>The uploader's result blob: the <c>inspect --json</c> document, followed by the outcome.</summary>
internal static class ResultDocument
{
    public static BinaryData Create(SubmissionEntity submission, InventoryReport report)
    {
        var json = JsonSerializer.SerializeToNode(InventoryJson.ToDocument(report, includeMatches: false), InventoryJson.Options)!.AsObject();
        json["outcome"] = submission.Outcome;
        json["agency"] = submission.PartitionKey == SubmissionEntity.UnassignedPartition ? null : submission.PartitionKey;
        json["submissionId"] = submission.SubmissionId;
        json["kind"] = submission.Kind;
        json["receivedAt"] = submission.ReceivedAt;
        return BinaryData.FromString(json.ToJsonString(InventoryJson.Options));
    }
}
