using Azure.Storage.Blobs;
using KDirective.Ingestion;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace KDirective.Functions;

/// <summary>An agency uploaded its removal plan (any document type, size-limited).</summary>
public sealed class PlanUploaded(IngestionService ingestion, ILogger<PlanUploaded> logger)
{
    [Function(nameof(PlanUploaded))]
    public async Task Run(
        [BlobTrigger("plans/{agency}/{name}", Source = BlobTriggerSource.EventGrid, Connection = "InventoryStorage")] BlobClient blob,
        CancellationToken cancellationToken)
    {
        var result = await ingestion.IngestAsync(blob, cancellationToken: cancellationToken);
        logger.Outcome(result.Submission.SubmissionId, result.Submission.Outcome);
    }
}
