using Azure;
using Azure.Data.Tables;

namespace KDirective.Ingestion;

/// <summary>
/// Findings of one submission and one bucket, packed as a JSON array in one table row, as many as fit in
/// <see cref="Storage.TableJson.MaxChars"/> characters (about 170 of typical length). Partition: <c>{agency}_{submissionId}_{bucket}</c>; row key: the row's place in its bucket
/// (<see cref="KeyFor"/>), which the same file gives the same findings on every attempt.
/// </summary>
/// <remarks>
/// One row per finding made Azurite, and would make Azure, handle a hundred times as many entities: at 1M rows
/// (10,000 findings) the ingestion service spent most of its time waiting on those writes (README, Performance).
/// A row holds at most <see cref="Storage.TableJson.MaxChars"/> characters of JSON, under the 32K-character limit of a
/// string property.
/// </remarks>
public sealed class FindingRowEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Agency { get; set; } = string.Empty;

    public string SubmissionId { get; set; } = string.Empty;

    /// <summary>A JSON array of findings, each with short property names (see <see cref="FindingStore"/>).</summary>
    public string FindingsJson { get; set; } = "[]";

    public static string KeyFor(int sequence) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"r{sequence:D6}");
}
