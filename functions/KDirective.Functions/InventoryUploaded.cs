using Azure.Storage.Blobs;
using KDirective.Ingestion;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace KDirective.Functions;

/// <summary>An agency uploaded an inventory. Flex Consumption delivers blob events through Event Grid only.</summary>
public sealed class InventoryUploaded(IngestionService ingestion, ILogger<InventoryUploaded> logger)
{
    [Function(nameof(InventoryUploaded))]
    public async Task Run(
        [BlobTrigger("inventories/{agency}/{name}", Source = BlobTriggerSource.EventGrid, Connection = "InventoryStorage")] BlobClient blob,
        CancellationToken cancellationToken)
    {
        var result = await ingestion.IngestAsync(blob, cancellationToken: cancellationToken);
        logger.Outcome(result.Submission.SubmissionId, result.Submission.Outcome);
    }
}
