using Azure;
using Azure.Data.Tables;
using KDirective.Email;
using KDirective.Reminders;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace KDirective.Tests.Reminders;

/// <summary>
/// One email, at most once: what <see cref="Outbound"/> records for each way a send ends (sent, refused for good,
/// failed for now, thrown, cancelled), and that a claim it cannot use is always given back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class OutboundTests(AzuriteFixture azurite)
{
    private const string Key = "inventory-0-due";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2017, 10, 10, 13, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<Outbound> _log = new();

    private static EmailMessage Message(string key = Key) =>
        new(key, ["ciso@agency.example.gov"], [], "BOD 17-01: inventory due today", "text", "<p>html</p>", []);

    private (Outbound Outbound, ReminderStore Store, Sender Sender) Arrange(Func<EmailMessage, SendResult> send, StorageClientSettings? settings = null)
    {
        var store = new ReminderStore(azurite.Connect(settings), Microsoft.Extensions.Options.Options.Create(new ReminderOptions()));
        var sender = new Sender(send);
        return (new Outbound(store, sender, _clock, _log), store, sender);
    }

    private ReminderEntity? Row(string agency, string key = Key) =>
        azurite.Connect().Tables.GetTableClient(StorageNames.RemindersTable).GetEntityIfExists<ReminderEntity>(agency, key) is { HasValue: true } found ? found.Value : null;

    [Fact]
    public async Task SendOnce_AnItemAnotherRunSent_IsAlreadySent_AndNotSentAgain()
    {
        var agency = Pipeline.NewAgencyId();
        var (outbound, _, sender) = Arrange(_ => SendResult.Ok("202 Accepted"));
        Assert.Equal(ClaimOutcome.Claimed, (await outbound.SendOnceAsync(agency, Key, Message())).Claim);

        var again = await outbound.SendOnceAsync(agency, Key, Message());

        Assert.Equal((ClaimOutcome.AlreadySent, null), (again.Claim, again.Send));
        Assert.Equal(1, sender.Calls);
    }

    [Fact]
    public async Task SendOnce_AnItemAnotherRunIsSending_IsInProgress_AndNotSent()
    {
        var agency = Pipeline.NewAgencyId();
        var (outbound, store, sender) = Arrange(_ => SendResult.Ok("202 Accepted"));
        await store.TryClaimAsync(agency, Key, _clock.GetUtcNow()); // another run's claim, a moment old

        var result = await outbound.SendOnceAsync(agency, Key, Message());

        Assert.Equal((ClaimOutcome.InProgress, null), (result.Claim, result.Send));
        Assert.Equal(0, sender.Calls);
        Assert.Equal(ReminderEntity.Claimed, Row(agency)?.State);
    }

    [Fact]
    public async Task Claim_FailingPartWay_GivesBackTheClaimsAlreadyMade_AndFails()
    {
        var agency = Pipeline.NewAgencyId();
        var fault = new FaultInjection(m => CompetingWrite.IsWriteTo(m, StorageNames.RemindersTable), failOnMatch: 2);
        var settings = new StorageClientSettings();
        settings.Policies.Add(fault);
        var (outbound, _, _) = Arrange(_ => SendResult.Ok("202 Accepted"), settings);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => outbound.ClaimAsync(agency, ["plan-0-due", "inventory-0-due", "status-1-due"]));

        Assert.Equal((503, 1), (e.Status, fault.Failures));
        Assert.Null(Row(agency, "plan-0-due"));
        Assert.Null(Row(agency, "inventory-0-due"));
        Assert.Null(Row(agency, "status-1-due"));
    }

    [Fact]
    public async Task Deliver_Sent_IsRecordedWithTheMessageLocation_OrElseTheDetail()
    {
        var agency = Pipeline.NewAgencyId();
        var (outbound, _, _) = Arrange(m => m.Key == Key ? SendResult.Ok("202 Accepted", "x-message-id: 7Rd2") : SendResult.Ok("written to outbox"));

        await outbound.SendOnceAsync(agency, Key, Message());
        _clock.Advance(TimeSpan.FromMinutes(1));
        await outbound.SendOnceAsync(agency, "plan-0-due", Message("plan-0-due"));

        var located = Row(agency)!;
        Assert.Equal((ReminderEntity.Sent, "x-message-id: 7Rd2", "BOD 17-01: inventory due today"), (located.State, located.Detail, located.Subject));
        Assert.Equal((ReminderEntity.Sent, "written to outbox"), (Row(agency, "plan-0-due")!.State, Row(agency, "plan-0-due")!.Detail));
        Assert.Equal(_clock.GetUtcNow(), Row(agency, "plan-0-due")!.SentAt);
    }

    [Fact]
    public async Task Deliver_RefusedForGood_IsRecordedAsFailed_WithTheReason_AndNotRetried()
    {
        var agency = Pipeline.NewAgencyId();
        var (outbound, _, sender) = Arrange(_ => SendResult.Failed("400 Bad Request: invalid recipient", permanent: true));

        var result = await outbound.SendOnceAsync(agency, Key, Message());
        var again = await outbound.SendOnceAsync(agency, Key, Message());

        Assert.False(result.Send!.Sent);
        var row = Row(agency)!;
        Assert.Equal((ReminderEntity.Failed, "400 Bad Request: invalid recipient"), (row.State, row.Detail));
        Assert.Equal((ClaimOutcome.AlreadySent, 1), (again.Claim, sender.Calls));
        Assert.Empty(_log.Collector.GetSnapshot());
    }

    [Fact]
    public async Task Deliver_FailedForNow_GivesTheClaimBack_AndSaysSoInTheLog()
    {
        var agency = Pipeline.NewAgencyId();
        var (outbound, _, sender) = Arrange(_ => SendResult.Failed("503 Service Unavailable", permanent: false));

        var result = await outbound.SendOnceAsync(agency, Key, Message());

        Assert.Equal((false, false), (result.Send!.Sent, result.Send.Permanent));
        Assert.Null(Row(agency));
        var entry = Assert.Single(_log.Collector.GetSnapshot());
        Assert.Equal((4001, LogLevel.Warning), (entry.Id.Id, entry.Level));
        Assert.Equal($"Email {Key} was not sent and will be retried by the next run: 503 Service Unavailable", entry.Message);
        Assert.Equal(ClaimOutcome.Claimed, (await outbound.SendOnceAsync(agency, Key, Message())).Claim); // the next run
        Assert.Equal(2, sender.Calls);
    }

    [Fact]
    public async Task Deliver_SenderThrows_IsAFailureForNow_AndTheClaimIsGivenBack()
    {
        var agency = Pipeline.NewAgencyId();
        var (outbound, _, _) = Arrange(_ => throw new HttpRequestException("Connection refused (127.0.0.1:9)"));

        var result = await outbound.SendOnceAsync(agency, Key, Message());

        Assert.Equal((false, false, "Connection refused (127.0.0.1:9)"), (result.Send!.Sent, result.Send.Permanent, result.Send.Detail));
        Assert.Null(Row(agency));
        Assert.Equal(4001, Assert.Single(_log.Collector.GetSnapshot()).Id.Id);
    }

    [Fact]
    public async Task Deliver_Cancelled_IsNotCountedAsAFailedSend()
    {
        var agency = Pipeline.NewAgencyId();
        var (outbound, _, _) = Arrange(_ => throw new OperationCanceledException("host shutting down"));

        await Assert.ThrowsAsync<OperationCanceledException>(() => outbound.SendOnceAsync(agency, Key, Message()));

        // The claim stays, as a crash leaves it: the stale-claim limit hands it to a later run (ReminderStoreTests).
        Assert.Equal(ReminderEntity.Claimed, Row(agency)?.State);
        Assert.Empty(_log.Collector.GetSnapshot());
    }

    private sealed class Sender(Func<EmailMessage, SendResult> send) : IEmailSender
    {
        private int _calls;

        public int Calls => _calls;

        public string Destination => "test";

        public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            Interlocked.Increment(ref _calls);
            return send(message);
        }
    }
}
