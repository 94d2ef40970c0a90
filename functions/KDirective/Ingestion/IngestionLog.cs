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
}
