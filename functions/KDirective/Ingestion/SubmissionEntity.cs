using Azure;
using Azure.Data.Tables;

namespace KDirective.Ingestion;

/// <summary>
/// One processed upload (inventory or plan), accepted or rejected. Partition: the agency (or
/// <see cref="UnassignedPartition"/> for uploads that name no registered agency); row: the submission id,
/// a hash of container, blob name and blob version, so processing the same blob again lands on this row.
/// </summary>
public sealed class SubmissionEntity : ITableEntity
{
    public const string UnassignedPartition = "_unassigned";
    public const string Processing = "processing";
    public const string Complete = "complete";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Kind { get; set; } = SubmissionKinds.Inventory;

    public string Container { get; set; } = string.Empty;

    public string BlobName { get; set; } = string.Empty;

    public string BlobVersion { get; set; } = string.Empty;

    public DateTimeOffset ReceivedAt { get; set; }

    public long SizeBytes { get; set; }

    public string State { get; set; } = Processing;

    public string? Outcome { get; set; }

    public string? Error { get; set; }

    public string? Format { get; set; }

    public string? Encoding { get; set; }

    public long RowsRead { get; set; }

    public long RowsRejected { get; set; }

    /// <summary>JSON: the first rejected rows, <c>[{"line","reason"}]</c>.</summary>
    public string RejectionsJson { get; set; } = "[]";

    /// <summary>
    /// Lines that look like banned products but were not counted as findings: a rejected row that names one, or a read
    /// row whose other columns name one its product columns do not. Zero on rows written before 2026-12-07.
    /// </summary>
    public long PossibleFindingCount { get; set; }

    /// <summary>JSON: the first of those lines, <c>[{"line","product","text"}]</c>.</summary>
    public string PossibleFindingsJson { get; set; } = "[]";

    /// <summary>JSON: <c>[{"product","endpoints","versions"}]</c>.</summary>
    public string FindingsJson { get; set; } = "[]";

    /// <summary>True when <see cref="FindingsJson"/> was cut to fit a table property; the result blob has it all.</summary>
    public bool FindingsTruncated { get; set; }

    public long? EndpointsScanned { get; set; }

    public long? EndpointsAffected { get; set; }

    public int FindingRows { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>When processing started (the sweep finds submissions stuck in processing by it).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>For accepted inventories: <see cref="CoverageKinds.Full"/>, or <see cref="CoverageKinds.Partial"/> when it cannot close removal.</summary>
    public string? Coverage { get; set; }

    /// <summary>How many hosts that still carried the product this inventory lacks.</summary>
    public int HostsLacking { get; set; }

    /// <summary>JSON: the first 100 hostnames it lacks.</summary>
    public string HostsLackingJson { get; set; } = "[]";

    /// <summary>Distinct hosts, or for an aggregated export the largest device count of any application.</summary>
    public long? FleetSize { get; set; }

    /// <summary>Takes an assessed coverage (at ingestion, and when <see cref="DiffRepair"/> recomputes the diff).</summary>
    public void TakeCoverage(InventoryCoverage coverage) =>
        (Coverage, HostsLacking, HostsLackingJson, FleetSize) = (coverage.Kind, coverage.HostsLacking, Storage.TableJson.Names(coverage.HostsLackingFirst), coverage.FleetSize);

    public bool IsAccepted => Outcome == SubmissionOutcomes.Accepted;

    public string SubmissionId => RowKey;

    public string Agency => PartitionKey;
}

public static class SubmissionKinds
{
    public const string Inventory = "inventory";
    public const string Plan = "plan";
}

public static class CoverageKinds
{
    public const string Full = "full";
    public const string Partial = "partial";
}

public static class SubmissionOutcomes
{
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
}
