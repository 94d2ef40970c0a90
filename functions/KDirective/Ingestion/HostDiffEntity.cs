using Azure;
using Azure.Data.Tables;

namespace KDirective.Ingestion;

/// <summary>
/// The summary of one accepted inventory's host diff. Partition: the agency; row: <c>d-{submissionId}</c>. Written
/// after the host rows, so a summary means the diff is whole.
/// </summary>
public sealed class HostDiffEntity : ITableEntity
{
    public const string Prefix = "d-";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string SubmissionId { get; set; } = string.Empty;

    public string BlobName { get; set; } = string.Empty;

    public DateTimeOffset ReceivedAt { get; set; }

    public string? PreviousSubmissionId { get; set; }

    public string Coverage { get; set; } = CoverageKinds.Full;

    public int HostsLacking { get; set; }

    /// <summary>JSON: the first hostnames the inventory lacks.</summary>
    public string HostsLackingJson { get; set; } = "[]";

    public long? FleetSize { get; set; }

    public long? ReferenceFleetSize { get; set; }

    public int Removed { get; set; }

    public int Remaining { get; set; }

    public int New { get; set; }

    public int Unreported { get; set; }

    /// <summary>JSON: the first hostnames still carrying the product.</summary>
    public string CarryingJson { get; set; } = "[]";
}

/// <summary>One host's change in one inventory's diff. Row: <c>h-{submissionId}-{hash of the upper-cased hostname}</c>.</summary>
public sealed class HostChangeEntity : ITableEntity
{
    public const string Prefix = "h-";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Hostname { get; set; } = string.Empty;

    public string Change { get; set; } = string.Empty;

    /// <summary>JSON: the products the host carries (or carried, when removed).</summary>
    public string ProductsJson { get; set; } = "[]";
}
