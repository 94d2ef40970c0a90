namespace KDirective.Ingestion;

/// <summary>
/// One banned product on one endpoint (or, from an aggregated export, on a counted group of endpoints), as one
/// submission reported it. Findings are stored packed, as many to a table row as fit
/// (<see cref="FindingRowEntity"/>), in one of <see cref="Buckets"/> partitions per submission chosen by the
/// hostname, so one host's findings sit in one partition. Findings are only read through a submission that completed.
/// </summary>
public sealed class FindingEntity
{
    /// <summary>Partitions per submission: 16 hexadecimal digits.</summary>
    public const int Buckets = 16;

    /// <summary>
    /// A hash of the case-folded hostname, the product and the version: the same finding has the same key in every
    /// attempt, and one submission stores each key once.
    /// </summary>
    public string Key { get; set; } = string.Empty;

    public string Agency { get; set; } = string.Empty;

    public string SubmissionId { get; set; } = string.Empty;

    /// <summary>Null for an aggregated row, which stands for <see cref="Endpoints"/> endpoints.</summary>
    public string? Hostname { get; set; }

    public string Product { get; set; } = string.Empty;

    public string? Version { get; set; }

    public long Endpoints { get; set; }

    /// <summary>A line of the file where the finding appears.</summary>
    public long Line { get; set; }

    public static string PartitionFor(string agency, string submissionId, int bucket) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{agency}_{submissionId}_{bucket:x}");

    /// <summary>
    /// The bucket of a host's findings: the first digit of a hash of the case-folded name, so the same host lands in
    /// the same partition on every retry. An aggregated row (no host) goes by its key, itself a hash.
    /// </summary>
    public static int BucketFor(string? hostname, string key) =>
        Convert.ToInt32((hostname is null ? key : Storage.TableKeys.Hash(hostname.ToUpperInvariant()))[..1], 16);
}
