using Microsoft.Extensions.Logging;

namespace KDirective.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Storage ready: containers and tables exist")]
    public static partial void StorageReady(this ILogger logger);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Storage not ready yet ({Error}: {Detail}); the app keeps running and tries again before the next function runs")]
    public static partial void StorageNotReady(this ILogger logger, string error, string detail);
}
