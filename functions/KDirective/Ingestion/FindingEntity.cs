using Azure;
using Azure.Data.Tables;

namespace KDirective.Ingestion;

/// <summary>
/// One banned product on one endpoint (or, from an aggregated export, on a counted group of endpoints), as one
/// submission reported it. Partition: <c>{agency}_{submissionId}_{bucket}</c>, one of <see cref="Buckets"/> per
/// submission chosen by the hostname, so a large submission's batches of 100 go to several partitions at once
/// (Azure's target is about 2,000 entities per second per partition) and one host's findings sit in one partition.
/// Findings are only read through a submission that completed.
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

    /// <summary>Partitions per submission: 16 hexadecimal digits.</summary>
    public const int Buckets = 16;

    public static string PartitionFor(string agency, string submissionId, int bucket) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{agency}_{submissionId}_{bucket:x}");

    /// <summary>
    /// The bucket of a host's findings: the first digit of a hash of the case-folded name, so the same host lands in
    /// the same partition on every retry. An aggregated row (no host) goes by its row key, itself a hash.
    /// </summary>
    public static int BucketFor(string? hostname, string rowKey) =>
        Convert.ToInt32((hostname is null ? rowKey : Storage.TableKeys.Hash(hostname.ToUpperInvariant()))[..1], 16);
}
