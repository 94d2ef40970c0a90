using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Email;
using KDirective.Ingestion;
using Microsoft.Extensions.Logging;

namespace KDirective.Reminders;

/// <summary>
/// The reminder timer's one call: for every agency and milestone, decide which reminder is due as of now, send it
/// once, and record it. Also sends any receipt that an earlier send failed to deliver.
/// </summary>
public sealed class ReminderService(
    AgencyRegistry agencies,
    SubmissionStore submissions,
    MilestoneEvaluator evaluator,
    ReminderPlanner planner,
    Outbound outbound,
    ReceiptService receipts,
    TimeProvider time,
    ILogger<ReminderService> logger)
{
    public async Task<RemindResult> RunAsync(DateTimeOffset? asOf = null, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var now = asOf ?? time.GetUtcNow();
        var sent = new List<SentReminder>();
        var failed = new List<SentReminder>();
        var alreadySent = 0;
        foreach (var agency in await agencies.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var history = await submissions.ListAsync(agency.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            var milestones = evaluator.Evaluate(AgencyHistory.From(history, now), now);
            foreach (var point in planner.Plan(agency.Id, milestones, now))
            {
                var message = ReminderEmail.Compose(evaluator.Calendar.Options, agency, point, time.GetUtcNow());
                var record = new SentReminder(agency.Id, point.Milestone, point.Period, point.Kind, message.To, message.Cc, message.Subject);
                if (dryRun)
                {
                    sent.Add(record);
                    continue;
                }

                var result = await outbound.SendOnceAsync(agency.Id, point.Key, message, cancellationToken).ConfigureAwait(false);
                switch (result)
                {
                    case { Claim: ClaimOutcome.AlreadySent or ClaimOutcome.InProgress }:
                        alreadySent++;
                        break;
                    case { Send.Sent: true }:
                        sent.Add(record);
                        break;
                    default:
                        failed.Add(record with { Error = result.Send?.Detail });
                        break;
                }
            }

            if (!dryRun)
            {
                await receipts.CatchUpAsync(agency, history.Where(s => s.ReceivedAt <= now), milestones, cancellationToken).ConfigureAwait(false);
            }
        }

        logger.RunCompleted(now, sent.Count, alreadySent, failed.Count);
        return new RemindResult(now, sent, alreadySent, failed);
    }
}

public sealed record RemindResult(DateTimeOffset AsOf, IReadOnlyList<SentReminder> Sent, int AlreadySent, IReadOnlyList<SentReminder> Failed);

public sealed record SentReminder(string Agency, string Milestone, int Period, string Kind, IReadOnlyList<string> To, IReadOnlyList<string> Cc, string Subject, string? Error = null);
