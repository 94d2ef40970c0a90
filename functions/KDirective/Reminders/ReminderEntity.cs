using Azure;
using Azure.Data.Tables;

namespace KDirective.Reminders;

/// <summary>
/// A claim on one email (a reminder point or a receipt). Partition: the agency; row: the reminder's key. Inserted
/// only if absent before anything is sent, so overlapping runs send it at most once.
/// </summary>
public sealed class ReminderEntity : ITableEntity
{
    public const string Claimed = "claimed";
    public const string Sent = "sent";
    public const string Failed = "failed";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string State { get; set; } = Claimed;

    public DateTimeOffset ClaimedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? Subject { get; set; }

    public string? Detail { get; set; }
}

public enum ClaimOutcome
{
    Claimed,
    AlreadySent,
    InProgress,
}
