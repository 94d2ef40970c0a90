using Azure;
using Azure.Data.Tables;
using KDirective.Storage;
using Microsoft.Extensions.Options;

namespace KDirective.Reminders;

/// <summary>The record of what was sent: conditional inserts claim an email before it is sent.</summary>
public sealed class ReminderStore(StorageConnection storage, IOptions<ReminderOptions> options)
{
    private readonly TableClient _table = storage.Tables.GetTableClient(StorageNames.RemindersTable);

    public async Task<(ClaimOutcome Outcome, ReminderEntity Claim)> TryClaimAsync(string agency, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var claim = new ReminderEntity { PartitionKey = agency, RowKey = key, ClaimedAt = now };
        try
        {
            var response = await _table.AddEntityAsync(claim, cancellationToken).ConfigureAwait(false);
            claim.ETag = response.Headers.ETag ?? default;
            return (ClaimOutcome.Claimed, claim);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var found = await _table.GetEntityIfExistsAsync<ReminderEntity>(agency, key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!found.HasValue)
            {
                return await TryClaimAsync(agency, key, now, cancellationToken).ConfigureAwait(false); // released meanwhile
            }

            var existing = found.Value!;

            if (existing.State is ReminderEntity.Sent or ReminderEntity.Failed)
            {
                return (ClaimOutcome.AlreadySent, existing);
            }

            // A claim whose run died before sending or releasing: after a while, take it over (under its ETag).
            if (existing.ClaimedAt < now.AddMinutes(-options.Value.StaleClaimMinutes))
            {
                try
                {
                    existing.ClaimedAt = now;
                    var response = await _table.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                    existing.ETag = response.Headers.ETag ?? default;
                    return (ClaimOutcome.Claimed, existing);
                }
                catch (RequestFailedException gone) when (gone.Status == 404)
                {
                    return await TryClaimAsync(agency, key, now, cancellationToken).ConfigureAwait(false); // released meanwhile
                }
                catch (RequestFailedException conflict) when (conflict.Status == 412)
                {
                    // Another run took it over first: it is that run's to send.
                }
            }

            return (ClaimOutcome.InProgress, existing);
        }
    }

    public async Task CompleteAsync(ReminderEntity claim, string state, string subject, string detail, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        claim.State = state;
        claim.SentAt = now;
        claim.Subject = subject;
        claim.Detail = detail;
        await _table.UpdateEntityAsync(claim, ETag.All, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sending failed: give the claim back so the next run tries again.</summary>
    public async Task ReleaseAsync(ReminderEntity claim, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.DeleteEntityAsync(claim, claim.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Another run took the claim over: it is no longer this run's to give back. (A claim already gone is
            // not an error: the SDK returns a delete's 404 without throwing.)
        }
    }

    public async Task<IReadOnlySet<string>> SentKeysAsync(string agency, CancellationToken cancellationToken = default)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {agency}");
        await foreach (var e in _table.QueryAsync<ReminderEntity>(filter, select: ["RowKey", "State"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (e.State is ReminderEntity.Sent or ReminderEntity.Failed)
            {
                keys.Add(e.RowKey);
            }
        }

        return keys;
    }
}
