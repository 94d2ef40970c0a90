using Azure;
using Azure.Data.Tables;
using KDirective.Email;
using KDirective.Reminders;
using KDirective.Storage;
using KDirective.Tests.Email;
using KDirective.Tests.Ingestion;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KDirective.Tests.Reminders;

/// <summary>
/// A run that crashed after claiming an email and before sending it leaves a claim behind. After
/// <c>Reminders:StaleClaimMinutes</c> the next run takes it over and sends; before that it leaves it alone.
/// </summary>
[Collection(IsolatedAzuriteCollection.Name)]
public sealed class StaleClaimTests(IsolatedAzurite azurite) : IAsyncLifetime
{
    private readonly FakeSendGrid _sendGrid = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2017, 10, 10, 13, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => azurite.ResetAsync();

    public async Task DisposeAsync() => await _sendGrid.DisposeAsync();

    private ServiceProvider Services() => Pipeline.Create(
        azurite,
        time: _clock,
        config: new Dictionary<string, string?> { ["SendGrid:ApiKey"] = "SG.test-only", ["Reminders:StaleClaimMinutes"] = "30" },
        configure: s => s.Configure<SendGridOptions>(o => o.Host = _sendGrid.Host));

    /// <summary>Sends the agency's one due reminder, then turns its record back into the claim a crashed run leaves.</summary>
    private async Task<(ReminderService Reminders, DateTimeOffset AsOf, TableClient Table, string Agency)> ArrangeCrashedClaimAsync(ServiceProvider services, TimeSpan claimAge)
    {
        var agency = await Uploads.RegisterAsync(services, "silent");
        var reminders = services.GetRequiredService<ReminderService>();
        var asOf = services.GetRequiredService<KDirective.Directive.DirectiveCalendar>().At(new DateOnly(2017, 10, 10), new TimeOnly(9, 0));
        Assert.Single((await reminders.RunAsync(asOf)).Sent);

        var table = services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.RemindersTable);
        var record = Assert.Single(table.Query<ReminderEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {agency.Id}")));
        record.State = ReminderEntity.Claimed;
        record.ClaimedAt = _clock.GetUtcNow() - claimAge;
        record.SentAt = null;
        await table.UpdateEntityAsync(record, ETag.All, TableUpdateMode.Replace);
        return (reminders, asOf, table, agency.Id);
    }

    [Fact]
    public async Task ClaimOlderThanTheStaleLimit_IsTakenOverAndTheReminderSent()
    {
        await using var services = Services();
        var (reminders, asOf, table, agency) = await ArrangeCrashedClaimAsync(services, TimeSpan.FromMinutes(31));

        var result = await reminders.RunAsync(asOf);

        var sent = Assert.Single(result.Sent);
        Assert.Equal((agency, "inventory"), (sent.Agency, Assert.Single(sent.Items).Milestone));
        Assert.Equal(2, _sendGrid.Accepted.Count(s => s == sent.Subject));
        var record = Assert.Single(table.Query<ReminderEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {agency}")));
        Assert.Equal((ReminderEntity.Sent, _clock.GetUtcNow()), (record.State, record.ClaimedAt));
    }

    [Fact]
    public async Task ClaimYoungerThanTheStaleLimit_IsLeftToTheRunThatHoldsIt()
    {
        await using var services = Services();
        var (reminders, asOf, table, agency) = await ArrangeCrashedClaimAsync(services, TimeSpan.FromMinutes(5));
        var requests = _sendGrid.Requests.Count;

        var result = await reminders.RunAsync(asOf);

        Assert.Equal((0, 1), (result.Sent.Count, result.AlreadySent));
        Assert.Equal(requests, _sendGrid.Requests.Count);
        Assert.Equal(ReminderEntity.Claimed, Assert.Single(table.Query<ReminderEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {agency}"))).State);
    }

    [Fact]
    public async Task ReceiptWhoseSendingRunCrashed_IsSentByALaterReminderRun_OnceItsClaimIsStale()
    {
        await using var services = Services();
        var agency = await Uploads.RegisterAsync(services, "crashed");
        var ingested = await services.GetRequiredService<KDirective.Ingestion.IngestionService>()
            .IngestAsync(await Uploads.UploadAsync(services, "crashed/inv.csv", Uploads.Inventory(2)), new DateTimeOffset(2017, 10, 2, 15, 0, 0, TimeSpan.Zero));
        var table = services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.RemindersTable);
        var receipt = (await table.GetEntityAsync<ReminderEntity>(agency.Id, ReceiptService.KeyFor(ingested.Submission))).Value;
        (receipt.State, receipt.ClaimedAt, receipt.SentAt) = (ReminderEntity.Claimed, _clock.GetUtcNow() - TimeSpan.FromMinutes(31), null);
        await table.UpdateEntityAsync(receipt, ETag.All, TableUpdateMode.Replace);
        var receipts = _sendGrid.Accepted.Count(s => s.Contains("inventory received", StringComparison.Ordinal));

        await services.GetRequiredService<ReminderService>().RunAsync(services.GetRequiredService<KDirective.Directive.DirectiveCalendar>().At(new DateOnly(2017, 10, 10), new TimeOnly(9, 0)));

        Assert.Equal(receipts + 1, _sendGrid.Accepted.Count(s => s.Contains("inventory received", StringComparison.Ordinal)));
        Assert.Equal(ReminderEntity.Sent, (await table.GetEntityAsync<ReminderEntity>(agency.Id, receipt.RowKey)).Value.State);
    }
}
