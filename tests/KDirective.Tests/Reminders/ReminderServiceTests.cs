using KDirective.Agencies;
using KDirective.Email;
using KDirective.Reminders;
using KDirective.Storage;
using KDirective.Tests.Email;
using KDirective.Tests.Ingestion;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KDirective.Tests.Reminders;

/// <summary>The reminder rules end to end: real storage (Azurite), a fake clock, and a loopback fake of SendGrid.</summary>
[Collection(IsolatedAzuriteCollection.Name)]
public sealed class ReminderServiceTests(IsolatedAzurite azurite) : IAsyncLifetime
{
    private readonly FakeSendGrid _sendGrid = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2017, 10, 10, 13, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => azurite.ResetAsync();

    public async Task DisposeAsync() => await _sendGrid.DisposeAsync();

    private ServiceProvider Services() => SendGridPipeline.Create(azurite, _sendGrid, _clock);

    /// <summary>Three agencies: one reported on time with findings, one reported clean, one never reported.</summary>
    private async Task<(Agency Reported, Agency Clean, Agency Silent)> ArrangeAsync(ServiceProvider services)
    {
        var reported = await Uploads.RegisterAsync(services, "reported");
        var clean = await Uploads.RegisterAsync(services, "clean");
        var silent = await Uploads.RegisterAsync(services, "silent");
        var ingestion = services.GetRequiredService<KDirective.Ingestion.IngestionService>();
        await ingestion.IngestAsync(await Uploads.UploadAsync(services, "reported/inv.csv", Uploads.Inventory(5)), new DateTimeOffset(2017, 10, 2, 15, 0, 0, TimeSpan.Zero));
        await ingestion.IngestAsync(await Uploads.UploadAsync(services, "clean/inv.csv", Uploads.Inventory(0, clean: 3)), new DateTimeOffset(2017, 10, 3, 15, 0, 0, TimeSpan.Zero));
        return (reported, clean, silent);
    }

    private static DateTimeOffset AsOf(int year, int month, int day, ServiceProvider services) =>
        services.GetRequiredService<KDirective.Directive.DirectiveCalendar>().At(new DateOnly(year, month, day), new TimeOnly(9, 0));

    [Fact]
    public async Task ThreeDaysBeforeTheInventoryDeadline_RemindsExactlyTheAgenciesWithoutAnInventory_Once()
    {
        await using var services = Services();
        var (_, _, silent) = await ArrangeAsync(services);
        var reminders = services.GetRequiredService<ReminderService>();

        var first = await reminders.RunAsync(AsOf(2017, 10, 10, services));
        var second = await reminders.RunAsync(AsOf(2017, 10, 10, services));

        var sent = Assert.Single(first.Sent);
        Assert.Equal((silent.Id, "inventory", "upcoming"), (sent.Agency, sent.Items.Single().Milestone, sent.Items.Single().Kind));
        Assert.Equal("BOD 17-01: inventory report due in 3 days (Fri 13 Oct 2017) - Department of Testing (silent)", sent.Subject);
        Assert.Empty(second.Sent);
        Assert.Equal(1, second.AlreadySent);
        Assert.Single(_sendGrid.Accepted, s => s.StartsWith("BOD 17-01: inventory report", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryRun_LogsOneSummaryLineWithItsCounts()
    {
        await using var services = SendGridPipeline.Create(azurite, _sendGrid, _clock, configure: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Information).AddFakeLogging()));
        await ArrangeAsync(services);
        await Uploads.RegisterAsync(services, "refused");
        _sendGrid.Script((202, null), (400, null)); // "refused" is reminded first, then "silent", refused for good
        var reminders = services.GetRequiredService<ReminderService>();

        await reminders.RunAsync(AsOf(2017, 10, 10, services));
        await reminders.RunAsync(AsOf(2017, 10, 10, services));

        var runs = services.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 4002).Select(r => r.Message);
        Assert.Equal(
        [
            "Reminder run as of 10/10/2017 13:00:00 +00:00: 1 sent, 0 already sent, 1 failed",
            "Reminder run as of 10/10/2017 13:00:00 +00:00: 0 sent, 2 already sent, 0 failed",
        ], runs);
    }

    [Fact]
    public async Task AfterThePlanDeadline_AnAgencyWithFindingsAndNoPlan_GetsAnOverdueNoticeWithEscalationInCopy()
    {
        await using var services = Services();
        var (reported, _, _) = await ArrangeAsync(services);

        var result = await services.GetRequiredService<ReminderService>().RunAsync(AsOf(2017, 11, 13, services));

        var notice = Assert.Single(result.Sent, s => s.Agency == reported.Id);
        Assert.Equal([new DigestItem("plan", 0, "overdue")], notice.Items);
        Assert.Equal(reported.EscalationEmails, notice.Cc);
        Assert.Contains(_sendGrid.Requests, r => r.Subject == notice.Subject && r.Body.Contains("\"cc\"", StringComparison.Ordinal) && r.Body.Contains(reported.EscalationEmails[0], StringComparison.Ordinal));
        Assert.DoesNotContain(result.Sent, s => s.Agency == "clean");
    }

    [Fact]
    public async Task PlanReceived_StopsPlanReminders()
    {
        await using var services = Services();
        var (reported, _, _) = await ArrangeAsync(services);
        var withoutPlan = await services.GetRequiredService<ReminderService>().RunAsync(AsOf(2017, 11, 13, services), dryRun: true);
        var plan = await Uploads.UploadAsync(services, "reported/plan.pdf", "%PDF-1.4 plan", StorageNames.PlansContainer);
        await services.GetRequiredService<KDirective.Ingestion.IngestionService>().IngestAsync(plan, new DateTimeOffset(2017, 11, 1, 15, 0, 0, TimeSpan.Zero));

        var result = await services.GetRequiredService<ReminderService>().RunAsync(AsOf(2017, 11, 13, services));

        Assert.Contains(withoutPlan.Sent, s => s.Agency == reported.Id && s.Items.Any(i => i.Milestone == "plan")); // the same run without the plan would remind
        Assert.NotEmpty(result.Sent); // the run still sends the other agencies' reminders
        Assert.DoesNotContain(result.Sent, s => s.Agency == reported.Id);
    }

    [Fact]
    public async Task OverlappingRuns_SendEachReminderOnce()
    {
        await using var services = Services();
        await ArrangeAsync(services);
        var reminders = services.GetRequiredService<ReminderService>();
        var asOf = AsOf(2018, 1, 15, services);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => reminders.RunAsync(asOf))));

        var sent = runs.SelectMany(r => r.Sent).ToArray();
        Assert.NotEmpty(sent);
        Assert.Equal(sent.Length, sent.Select(s => s.Subject).Distinct().Count());
        var mailed = _sendGrid.Accepted.Where(s => !s.Contains("received", StringComparison.Ordinal)).ToArray();
        Assert.Equal(mailed.Length, mailed.Distinct().Count());
        Assert.Equal(sent.Select(s => s.Subject).Order(), mailed.Order());
    }

    [Fact]
    public async Task FailedSends_AreRetriedByTheNextRun_NoneLostNoneDuplicated()
    {
        await using var services = Services();
        var (_, _, silent) = await ArrangeAsync(services);
        var reminders = services.GetRequiredService<ReminderService>();
        var asOf = AsOf(2017, 10, 10, services);
        _sendGrid.Script((429, "1"), (500, null), (503, null)); // attempt 1 waits for Retry-After, 2 and 3 fail: give up

        var first = await reminders.RunAsync(asOf);
        var second = await reminders.RunAsync(asOf);
        var third = await reminders.RunAsync(asOf);

        Assert.Equal((0, 1), (first.Sent.Count, first.Failed.Count));
        Assert.Equal((1, 0), (second.Sent.Count, second.Failed.Count));
        Assert.Equal((0, 1), (third.Sent.Count, third.AlreadySent));
        Assert.Equal([429, 500, 503, 202], _sendGrid.Requests.Where(r => r.Subject.Contains("inventory report", StringComparison.Ordinal)).Select(r => r.Status));
        Assert.Equal(silent.Id, second.Sent[0].Agency);
    }

    [Fact]
    public async Task PermanentRefusal_IsRecordedAndNotRetried()
    {
        await using var services = Services();
        await ArrangeAsync(services);
        var reminders = services.GetRequiredService<ReminderService>();
        _sendGrid.Script((400, null));

        var first = await reminders.RunAsync(AsOf(2017, 10, 10, services));
        var second = await reminders.RunAsync(AsOf(2017, 10, 10, services));

        Assert.Single(first.Failed);
        Assert.Equal((0, 1), (second.Sent.Count, second.AlreadySent));
        Assert.Single(_sendGrid.Requests, r => r.Subject.Contains("inventory report", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DryRun_SendsAndRecordsNothing()
    {
        await using var services = Services();
        await ArrangeAsync(services);
        var before = _sendGrid.Requests.Count;

        var dry = await services.GetRequiredService<ReminderService>().RunAsync(AsOf(2017, 10, 10, services), dryRun: true);
        var real = await services.GetRequiredService<ReminderService>().RunAsync(AsOf(2017, 10, 10, services));

        Assert.Single(dry.Sent);
        Assert.Single(real.Sent);
        Assert.Equal(before + 1, _sendGrid.Requests.Count);
    }

    [Fact]
    public async Task OnlySubmissionsReceivedByTheRunCount()
    {
        await using var services = Services();
        var (reported, _, _) = await ArrangeAsync(services);

        var result = await services.GetRequiredService<ReminderService>().RunAsync(AsOf(2017, 9, 29, services));

        Assert.Contains(result.Sent, s => s.Agency == reported.Id && s.Items.Contains(new DigestItem("inventory", 0, "upcoming")));
    }

    [Fact]
    public async Task TheTimerFiringTwiceAtTheSameMoment_SendsOnce()
    {
        await using var services = Services();
        await ArrangeAsync(services);
        _clock.SetUtcNow(AsOf(2017, 10, 13, services));
        var reminders = services.GetRequiredService<ReminderService>();

        var runs = await Task.WhenAll(reminders.RunAsync(), reminders.RunAsync());

        Assert.Equal(1, runs.Sum(r => r.Sent.Count));
        Assert.Equal("due", runs.SelectMany(r => r.Sent).Single().Items.Single().Kind);
    }
}
