using Azure;
using Azure.Data.Tables;

namespace KDirective.Ingestion;

/// <summary>
/// One banned product on one endpoint (or, from an aggregated export, on a counted group of endpoints), as one
/// submission reported it. Partition: <c>{agency}_{submissionId}</c>, so a submission's findings are written
/// in batches of 100 and are only read through a submission that completed.
/// </summary>
public sealed class FindingEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Agency { get; set; } = string.Empty;

    public string SubmissionId { get; set; } = string.Empty;

    /// <summary>Null for an aggregated row, which stands for <see cref="Endpoints"/> endpoints.</summary>
    public string? Hostname { get; set; }

    public string Product { get; set; } = string.Empty;

    public string? Version { get; set; }

    public long Endpoints { get; set; }

    /// <summary>A line of the file where the finding appears.</summary>
    public long Line { get; set; }

    public static string PartitionFor(string agency, string submissionId) => $"{agency}_{submissionId}";
}
