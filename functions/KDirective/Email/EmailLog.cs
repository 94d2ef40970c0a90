using Microsoft.Extensions.Logging;

namespace KDirective.Email;

internal static partial class EmailLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Email {Key}: attempt {Attempt} failed ({Status}), retrying: {Detail}")]
    public static partial void Retrying(this ILogger logger, string key, int attempt, int status, string detail);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Email {Key}: SendGrid refused it permanently ({Status}): {Body}")]
    public static partial void PermanentFailure(this ILogger logger, string key, int status, string body);
}
