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

    /// <summary>
    /// What the diff says, chained: a hash of its host rows, its coverage and <see cref="BasisStamp"/>. It changes
    /// whenever the diff, or any diff before it, is computed differently. Null on diffs stored before 2026-12-07.
    /// </summary>
    public string? Stamp { get; set; }

    /// <summary>
    /// The earlier inventory whose fleet size the coverage was assessed against, and its <see cref="Stamp"/> as read; null
    /// on diffs stored before 2026-12-07 (their reference is not checked).
    /// </summary>
    public string? ReferenceSubmissionId { get; set; }

    /// <inheritdoc cref="ReferenceSubmissionId"/>
    public string? ReferenceStamp { get; set; }

    /// <summary>The generation of host rows this summary stands for (<c>h-{submissionId}-{generation}-…</c>); null before 2026-12-07.</summary>
    public string? Generation { get; set; }

    /// <summary>
    /// Set when the diff was found stale and could not be recomputed (its blob version gone, say): the previous
    /// inventory and stamp it was checked against, <c>{id}|{stamp}</c>. While they are still those, it is left as it is
    /// and the diffs after it are checked on their own.
    /// </summary>
    public string? LeftAgainst { get; set; }

    /// <summary>
    /// The previous inventory's <see cref="Stamp"/> as it was read for this diff. When it no longer matches, an
    /// earlier inventory completed (or was recomputed) after this diff was made, and <see cref="DiffRepair"/> recomputes it.
    /// </summary>
    public string? BasisStamp { get; set; }

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

/// <summary>
/// The host changes of one inventory's diff, in hostname order, packed into as few rows as the property limit allows
/// (row: <c>h-{submissionId}-{generation}-{chunk, five digits}</c>; before 2026-12-07 without the generation). One row per host cost one entity per affected host: for 10,000
/// hosts, 100 transactions against the agency's single partition; packed, they are about 10 rows in one transaction.
/// </summary>
public sealed class HostChangeEntity : ITableEntity
{
    public const string Prefix = "h-";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>JSON in UTF-8: <c>[{"h": hostname, "c": change, "p": [products]}, ...]</c>, at most <see cref="HostDiffStore.RowBytes"/> - 1 bytes (rows written before 2026-12-06 hold up to <see cref="Storage.TableJson.MaxBytes"/> - 1).</summary>
    public byte[]? Changes { get; set; }

    /// <summary>The same JSON as a string, as rows written before 2026-12-06 hold it: read, never written.</summary>
    public string? ChangesJson { get; set; }
}
