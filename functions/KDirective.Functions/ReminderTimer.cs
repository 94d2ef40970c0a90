using KDirective.Reminders;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace KDirective.Functions;

/// <summary>Sends the reminders that are due. The schedule is configuration; it never runs on start-up.</summary>
public sealed class ReminderTimer(ReminderService reminders, ILogger<ReminderTimer> logger)
{
    [Function(nameof(ReminderTimer))]
    public async Task Run([TimerTrigger("%Reminders:Schedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var result = await reminders.RunAsync(cancellationToken: cancellationToken);
        logger.Reminders(result.Sent.Count, result.AlreadySent, result.Failed.Count);
    }
}
