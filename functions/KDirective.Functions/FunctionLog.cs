using Microsoft.Extensions.Logging;

namespace KDirective.Functions;

internal static partial class FunctionLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Submission {SubmissionId}: {Outcome}")]
    public static partial void Outcome(this ILogger logger, string submissionId, string? outcome);
}
