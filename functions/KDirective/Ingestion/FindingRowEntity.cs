using Azure;
using Azure.Data.Tables;

namespace KDirective.Ingestion;

/// <summary>
/// Findings of one submission and one bucket, packed as a JSON array in one table row, as many as fit in
/// <see cref="Storage.TableJson.MaxBytes"/> bytes of UTF-8 (about 460 of typical length). Partition: <c>{agency}_{submissionId}_{bucket}</c>; row key: the row's place in its bucket
/// (<see cref="KeyFor"/>), which the same file gives the same findings on every attempt.
/// </summary>
/// <remarks>
/// One row per finding made Azurite, and would make Azure, handle a hundred times as many entities: at 1M rows
/// (10,000 findings) the ingestion service spent most of its time waiting on those writes (README, Performance).
/// A row holds at most <see cref="Storage.TableJson.MaxBytes"/> - 1 bytes of JSON in a binary property, under its
/// 64 KiB limit.
/// </remarks>
public sealed class FindingRowEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Agency { get; set; } = string.Empty;

    public string SubmissionId { get; set; } = string.Empty;

    /// <summary>A JSON array of findings in UTF-8, each with short property names (see <see cref="FindingStore"/>).</summary>
    public byte[]? Findings { get; set; }

    /// <summary>The same JSON as a string, as rows written before 2026-12-06 hold it: read, never written.</summary>
    public string? FindingsJson { get; set; }

    public static string KeyFor(int sequence) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"r{sequence:D6}");
}
