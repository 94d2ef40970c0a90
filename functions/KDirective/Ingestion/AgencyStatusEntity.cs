using Azure;
using Azure.Data.Tables;

namespace KDirective.Ingestion;

/// <summary>
/// What DHS tracks per agency: when the first accepted inventory arrived (the day-30 evidence) and the latest
/// accepted inventory's products and affected endpoints. Updated with optimistic concurrency (ETags).
/// </summary>
public sealed class AgencyStatusEntity : ITableEntity
{
    public const string Row = "status";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset? FirstInventoryAt { get; set; }

    public string? FirstInventorySubmissionId { get; set; }

    public string? LatestSubmissionId { get; set; }

    public string? LatestBlobName { get; set; }

    public DateTimeOffset? LatestReceivedAt { get; set; }

    public long LatestEndpointsAffected { get; set; }

    /// <summary>True when the latest inventory was aggregated, so affected endpoints is the largest product count.</summary>
    public bool LatestEndpointsEstimated { get; set; }

    /// <summary>JSON: <c>[{"product","endpoints"}]</c> of the latest accepted inventory.</summary>
    public string LatestProductsJson { get; set; } = "[]";
}
