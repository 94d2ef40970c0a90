using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Email;
using KDirective.Ingestion;
using KDirective.Inventory;
using Microsoft.Extensions.Logging;

namespace KDirective.Reminders;

/// <summary>
/// Emails the agency's contacts a receipt for every processed submission, accepted or rejected, once. If the
/// send fails, the claim is given back and the next reminder run sends it.
/// </summary>
public sealed class ReceiptService(SubmissionStore submissions, ReminderStore store, MilestoneEvaluator evaluator, Outbound outbound, ILogger<ReceiptService> logger) : ISubmissionObserver
{
    public static string KeyFor(SubmissionEntity submission) => $"receipt-{submission.SubmissionId}";

    public async Task OnProcessedAsync(SubmissionEntity submission, InventoryReport report, Agency? agency, CancellationToken cancellationToken)
    {
        if (agency is null)
        {
            logger.NoReceiptRecipient(submission.SubmissionId);
            return;
        }

        // The receipt describes the agency's standing when the upload arrived.
        var history = await submissions.ListAsync(agency.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        var at = submission.ReceivedAt;
        var milestones = evaluator.Evaluate(AgencyHistory.From(history.Append(submission).DistinctBy(s => s.SubmissionId), at), at);
        await SendAsync(agency, submission, milestones, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the receipts of <paramref name="history"/> that were never delivered.</summary>
    internal async Task CatchUpAsync(Agency agency, IEnumerable<SubmissionEntity> history, AgencyMilestones milestones, CancellationToken cancellationToken)
    {
        var sent = await store.SentKeysAsync(agency.Id, cancellationToken).ConfigureAwait(false);
        foreach (var submission in history.Where(s => !sent.Contains(KeyFor(s))))
        {
            await SendAsync(agency, submission, milestones, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<OutboundResult> SendAsync(Agency agency, SubmissionEntity submission, AgencyMilestones milestones, CancellationToken cancellationToken)
    {
        var message = ReceiptEmail.Compose(evaluator.Calendar.Options, agency, submission, milestones.NextDue);
        return outbound.SendOnceAsync(agency.Id, KeyFor(submission), message, cancellationToken);
    }
}
