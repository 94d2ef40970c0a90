using KDirective.Email;
using Microsoft.Extensions.Logging;

namespace KDirective.Reminders;

/// <summary>
/// Sends one email at most once: claim, send, then record it as sent, or give the claim back when the send failed
/// for a reason that may pass (the next run retries). A permanent refusal is recorded and not retried.
/// </summary>
public sealed class Outbound(ReminderStore store, IEmailSender sender, TimeProvider time, ILogger<Outbound> logger)
{
    public async Task<OutboundResult> SendOnceAsync(string agency, string key, EmailMessage message, CancellationToken cancellationToken = default)
    {
        var (outcome, claim) = await store.TryClaimAsync(agency, key, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (outcome != ClaimOutcome.Claimed)
        {
            return new OutboundResult(outcome, null);
        }

        SendResult result;
        try
        {
            result = await sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
            logger.SendFailed(message.Key, e.Message);
            return new OutboundResult(ClaimOutcome.Claimed, SendResult.Failed(e.Message, permanent: false));
        }

        if (result.Sent || result.Permanent)
        {
            await store.CompleteAsync(claim, result.Sent ? ReminderEntity.Sent : ReminderEntity.Failed, message.Subject, result.Location ?? result.Detail, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await store.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
            logger.SendFailed(message.Key, result.Detail);
        }

        return new OutboundResult(ClaimOutcome.Claimed, result);
    }
}

public sealed record OutboundResult(ClaimOutcome Claim, SendResult? Send);
