using Microsoft.Extensions.Logging;

namespace KDirective.Ingestion;

/// <summary>Ingestion's log events. Blob names come from uploads: callers pass them through <c>LogSafe.Of</c>.</summary>
internal static partial class IngestionLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Submission {SubmissionId} for {Agency} ({Blob}) processed: {Outcome}, {RowsRead} rows, {RowsRejected} rejected, {EndpointsAffected} endpoints affected")]
    public static partial void Processed(this ILogger logger, string submissionId, string agency, string blob, string? outcome, long rowsRead, long rowsRejected, long? endpointsAffected);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Submission {SubmissionId} ({Blob}) was already processed; status re-applied")]
    public static partial void AlreadyProcessed(this ILogger logger, string submissionId, string blob);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Upload {Blob} rejected: {Reason}")]
    public static partial void Rejected(this ILogger logger, string blob, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Submission {SubmissionId} for {Agency} was stuck in processing; processed again and completed")]
    public static partial void SweptCompleted(this ILogger logger, string submissionId, string agency);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Submission {SubmissionId} for {Agency} was stuck in processing and its blob version is gone; removed with its findings")]
    public static partial void SweptRemoved(this ILogger logger, string submissionId, string agency);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Sweeping submission {SubmissionId} for {Agency} failed ({Status} {ErrorCode}); the next sweep retries")]
    public static partial void SweepFailed(this ILogger logger, string submissionId, string agency, int status, string errorCode);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Host diff of submission {SubmissionId} for {Agency} recomputed: an inventory before it completed after it was processed")]
    public static partial void DiffRecomputed(this ILogger logger, string submissionId, string agency);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Host diff of submission {SubmissionId} for {Agency} is stale and cannot be recomputed ({Reason}): left as it was; the diffs after it are still checked")]
    public static partial void DiffLeftStale(this ILogger logger, string submissionId, string agency, string reason);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Coverage of submission {SubmissionId} for {Agency} set from its recomputed host diff")]
    public static partial void CoverageCopied(this ILogger logger, string submissionId, string agency);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Host diffs for {Agency} still stale after {Passes} passes; the next accepted inventory or sweep continues")]
    public static partial void DiffRepairUnfinished(this ILogger logger, string agency, int passes);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Error, Message = "Checking the host diffs of {Agency} failed ({Status} {ErrorCode}); the next sweep or accepted inventory retries")]
    public static partial void DiffCheckFailed(this ILogger logger, string agency, int status, string errorCode);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Submission {SubmissionId} for {Agency} ({Blob}): {Count} line(s) look like banned products but were not counted; see the result's possible findings")]
    public static partial void PossibleFindings(this ILogger logger, string submissionId, string agency, string blob, long count);
}
