using Microsoft.Extensions.Logging;

namespace KDirective.Reminders;

internal static partial class ReminderLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Email {Key} was not sent and will be retried by the next run: {Detail}")]
    public static partial void SendFailed(this ILogger logger, string key, string detail);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Reminder run as of {AsOf}: {Sent} sent, {AlreadySent} already sent, {Failed} failed")]
    public static partial void RunCompleted(this ILogger logger, DateTimeOffset asOf, int sent, int alreadySent, int failed);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "No receipt for submission {SubmissionId}: it names no registered agency")]
    public static partial void NoReceiptRecipient(this ILogger logger, string submissionId);
}
