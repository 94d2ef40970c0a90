using Microsoft.Extensions.Logging;

namespace KDirective.Functions;

internal static partial class FunctionLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Submission {SubmissionId}: {Outcome}")]
    public static partial void Outcome(this ILogger logger, string submissionId, string? outcome);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Reminders: {Sent} sent, {AlreadySent} already sent, {Failed} failed")]
    public static partial void Reminders(this ILogger logger, int sent, int alreadySent, int failed);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Sweep: {Completed} stuck submissions completed, {Removed} removed, {Failed} failed; {Recomputed} host diffs recomputed, {ChecksFailed} agencies' diffs not checked")]
    public static partial void Swept(this ILogger logger, int completed, int removed, int failed, int recomputed, int checksFailed);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Digest {Week}: {Claim} ({Detail})")]
    public static partial void Digest(this ILogger logger, string? week, string claim, string? detail);
}
