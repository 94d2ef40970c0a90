using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Email;
using KDirective.Ingestion;
using Microsoft.Extensions.Logging;

namespace KDirective.Reminders;

/// <summary>
/// The reminder timer's one call: for every agency, gather the reminder items due as of now into one digest, send it
/// once, and record each item. Also sends any receipt that an earlier send failed to deliver.
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
        var sent = new List<SentDigest>();
        var failed = new List<SentDigest>();
        var alreadySent = 0;
        foreach (var agency in await agencies.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var history = await submissions.ListAsync(agency.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            var milestones = evaluator.Evaluate(AgencyHistory.From(history, now), now);
            var items = planner.Plan(agency.Id, milestones, now);
            if (items.Count > 0 && dryRun)
            {
                sent.Add(Record(agency, Compose(agency, items, milestones, now)));
            }
            else if (items.Count > 0)
            {
                // Claims stay per item: only the items no run has sent go into this run's digest.
                var claims = await outbound.ClaimAsync(agency.Id, items.Select(i => i.Key).ToArray(), cancellationToken).ConfigureAwait(false);
                alreadySent += claims.AlreadySent.Count + claims.InProgress.Count;
                var claimed = items.Where(i => claims.Claimed.Any(c => c.RowKey == i.Key)).ToArray();
                if (claimed.Length > 0)
                {
                    var digest = Compose(agency, claimed, milestones, now);
                    var result = await outbound.DeliverAsync(claims.Claimed, digest.Message, cancellationToken).ConfigureAwait(false);
                    (result.Sent ? sent : failed).Add(Record(agency, digest) with { Error = result.Sent ? null : result.Detail });
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

    private ReminderDigest Compose(Agency agency, IReadOnlyList<ReminderPoint> items, AgencyMilestones milestones, DateTimeOffset asOf) =>
        ReminderDigest.Compose(evaluator.Calendar, agency, items, milestones, asOf, time.GetUtcNow());

    private static SentDigest Record(Agency agency, ReminderDigest digest) =>
        new(agency.Id, digest.Message.To, digest.Message.Cc, digest.Message.Subject, digest.Items.Select(i => new DigestItem(i.Milestone, i.Period, i.Kind)).ToArray());
}

/// <summary>A run's outcome: the digests sent (or that would be, on a dry run), items other runs had sent, digests that failed.</summary>
public sealed record RemindResult(DateTimeOffset AsOf, IReadOnlyList<SentDigest> Sent, int AlreadySent, IReadOnlyList<SentDigest> Failed);

/// <summary>One agency's digest: its recipients, subject and items, most urgent first.</summary>
public sealed record SentDigest(string Agency, IReadOnlyList<string> To, IReadOnlyList<string> Cc, string Subject, IReadOnlyList<DigestItem> Items, string? Error = null);

public sealed record DigestItem(string Milestone, int Period, string Kind);
