using KDirective.Email;
using Microsoft.Extensions.Logging;

namespace KDirective.Reminders;

/// <summary>
/// Sends each item at most once: claim every item the email carries, send, then record them all as sent, or give
/// every claim back when the send failed for a reason that may pass (the next run retries them). A permanent
/// refusal is recorded and not retried.
/// </summary>
public sealed class Outbound(ReminderStore store, IEmailSender sender, TimeProvider time, ILogger<Outbound> logger)
{
    public async Task<OutboundResult> SendOnceAsync(string agency, string key, EmailMessage message, CancellationToken cancellationToken = default)
    {
        var claims = await ClaimAsync(agency, [key], cancellationToken).ConfigureAwait(false);
        if (claims.Claimed.Count == 0)
        {
            return new OutboundResult(claims.AlreadySent.Count > 0 ? ClaimOutcome.AlreadySent : ClaimOutcome.InProgress, null);
        }

        return new OutboundResult(ClaimOutcome.Claimed, await DeliverAsync(claims.Claimed, message, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Claims each key that no run has sent or is sending. If claiming fails part-way, the claims made are given back.</summary>
    public async Task<Claims> ClaimAsync(string agency, IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        var claimed = new List<ReminderEntity>();
        var alreadySent = new List<string>();
        var inProgress = new List<string>();
        try
        {
            foreach (var key in keys)
            {
                var (outcome, claim) = await store.TryClaimAsync(agency, key, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                (outcome switch { ClaimOutcome.Claimed => null, ClaimOutcome.AlreadySent => alreadySent, _ => inProgress })?.Add(key);
                if (outcome == ClaimOutcome.Claimed)
                {
                    claimed.Add(claim);
                }
            }
        }
        catch
        {
            await ReleaseAllAsync(claimed).ConfigureAwait(false);
            throw;
        }

        return new Claims(claimed, alreadySent, inProgress);
    }

    /// <summary>Sends <paramref name="message"/>, which carries the items of <paramref name="claims"/>, and settles every claim.</summary>
    public async Task<SendResult> DeliverAsync(IReadOnlyList<ReminderEntity> claims, EmailMessage message, CancellationToken cancellationToken = default)
    {
        SendResult result;
        try
        {
            result = await sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result = SendResult.Failed(e.Message, permanent: false);
        }

        if (result.Sent || result.Permanent)
        {
            foreach (var claim in claims)
            {
                await store.CompleteAsync(claim, result.Sent ? ReminderEntity.Sent : ReminderEntity.Failed, message.Subject, result.Location ?? result.Detail, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await ReleaseAllAsync(claims).ConfigureAwait(false);
            logger.SendFailed(message.Key, result.Detail);
        }

        return result;
    }

    private async Task ReleaseAllAsync(IEnumerable<ReminderEntity> claims)
    {
        foreach (var claim in claims)
        {
            await store.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
        }
    }
}

public sealed record OutboundResult(ClaimOutcome Claim, SendResult? Send);

/// <summary>The items one run may send (<see cref="Claimed"/>) and those another run sent or is sending.</summary>
public sealed record Claims(IReadOnlyList<ReminderEntity> Claimed, IReadOnlyList<string> AlreadySent, IReadOnlyList<string> InProgress);
