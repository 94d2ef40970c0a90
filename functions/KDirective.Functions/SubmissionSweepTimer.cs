using KDirective.Ingestion;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace KDirective.Functions;

/// <summary>Completes or removes submissions a crash left in processing. Runs on the reminder schedule; never on start-up.</summary>
public sealed class SubmissionSweepTimer(SubmissionSweeper sweeper, ILogger<SubmissionSweepTimer> logger)
{
    [Function(nameof(SubmissionSweepTimer))]
    public async Task Run([TimerTrigger("%Reminders:Schedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var result = await sweeper.RunAsync(cancellationToken);
        logger.Swept(result.Completed.Count, result.Removed.Count, result.Failed.Count, result.Recomputed.Count, result.ChecksFailed.Count);
    }
}
