using System.Text;
using System.Text.Json;
using KDirective.Agencies;
using KDirective.Email;
using KDirective.Ingestion;
using KDirective.Reminders;
using KDirective.Tests.Email;
using KDirective.Tests.Ingestion;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KDirective.Tests.Reminders;

/// <summary>One email per agency per run, whatever is due: real storage (Azurite) and a loopback fake of SendGrid.</summary>
[Collection(IsolatedAzuriteCollection.Name)]
public sealed class DigestTests(IsolatedAzurite azurite) : IAsyncLifetime
{
    private readonly FakeSendGrid _sendGrid = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2018, 1, 15, 14, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => azurite.ResetAsync();

    public async Task DisposeAsync() => await _sendGrid.DisposeAsync();

    private ServiceProvider Services() => SendGridPipeline.Create(azurite, _sendGrid, _clock, maxAttempts: 2);

    /// <summary>An agency that reported findings on time, then sent neither a plan nor a status report.</summary>
    private static async Task<Agency> LateAgencyAsync(ServiceProvider services)
    {
        var agency = await Uploads.RegisterAsync(services);
        await services.GetRequiredService<IngestionService>().IngestAsync(
            await Uploads.UploadAsync(services, $"{agency.Id}/inv.csv", Uploads.Inventory(4)), new DateTimeOffset(2017, 10, 2, 15, 0, 0, TimeSpan.Zero));
        return agency;
    }

    private static DateTimeOffset AsOf(int year, int month, int day, ServiceProvider services) =>
        services.GetRequiredService<KDirective.Directive.DirectiveCalendar>().At(new DateOnly(year, month, day), new TimeOnly(9, 0));

    private IReadOnlyList<FakeSendGrid.Received> Reminders() =>
        _sendGrid.Requests.Where(r => r.Status is >= 200 and < 300 && !r.Subject.Contains("received", StringComparison.Ordinal)).ToArray();

    private static string Text(FakeSendGrid.Received request)
    {
        using var json = JsonDocument.Parse(request.Body);
        return json.RootElement.GetProperty("content")[0].GetProperty("value").GetString()!;
    }

    private static string Calendar(FakeSendGrid.Received request)
    {
        using var json = JsonDocument.Parse(request.Body);
        var ics = json.RootElement.GetProperty("attachments").EnumerateArray().Single(a => a.GetProperty("filename").GetString() == IcsCalendar.FileName);
        return Encoding.UTF8.GetString(Convert.FromBase64String(ics.GetProperty("content").GetString()!));
    }

    [Fact]
    public async Task SeveralItemsDue_GoOutAsOneEmail_MostUrgentFirst_NamedInTheSubjectWithTheCount()
    {
        await using var services = Services();
        var agency = await LateAgencyAsync(services);

        var result = await services.GetRequiredService<ReminderService>().RunAsync(AsOf(2018, 1, 15, services));

        var digest = Assert.Single(result.Sent);
        Assert.True(digest.Items.Count >= 2, "the plan and status report 1 are both overdue");
        Assert.Equal(new DigestItem("plan", 0, "overdue"), digest.Items[0]);
        Assert.Contains(new DigestItem("status", 1, "overdue"), digest.Items);
        Assert.Equal($"BOD 17-01: removal plan OVERDUE and {digest.Items.Count - 1} more - {agency.Name}", digest.Subject);
        var mail = Assert.Single(Reminders());
        var text = Text(mail);
        Assert.True(text.IndexOf("removal plan OVERDUE since Sun 12 Nov 2017", StringComparison.Ordinal) < text.IndexOf("status report 1 OVERDUE since Thu 11 Jan 2018", StringComparison.Ordinal));
        Assert.Contains("Met by uploading your removal plan", text);
        Assert.Equal(agency.EscalationEmails, digest.Cc);
    }

    [Fact]
    public async Task ARerun_SendsNothing_AndCountsEveryItemAsAlreadySent()
    {
        await using var services = Services();
        await LateAgencyAsync(services);
        var reminders = services.GetRequiredService<ReminderService>();

        var first = await reminders.RunAsync(AsOf(2018, 1, 15, services));
        var second = await reminders.RunAsync(AsOf(2018, 1, 15, services));

        Assert.Empty(second.Sent);
        Assert.Equal(first.Sent.Single().Items.Count, second.AlreadySent);
        Assert.Single(Reminders());
    }

    [Fact]
    public async Task AFailedSend_ReleasesEveryItem_SoTheNextRunSendsThemAllInOneEmail()
    {
        await using var services = Services();
        await LateAgencyAsync(services);
        var reminders = services.GetRequiredService<ReminderService>();
        _sendGrid.Script((500, null), (503, null));

        var failed = await reminders.RunAsync(AsOf(2018, 1, 15, services));
        var retried = await reminders.RunAsync(AsOf(2018, 1, 15, services));

        Assert.Empty(failed.Sent);
        var lost = Assert.Single(failed.Failed);
        Assert.NotNull(lost.Error);
        Assert.Equal(lost.Items, Assert.Single(retried.Sent).Items);
        Assert.Equal(0, retried.AlreadySent);
    }

    [Fact]
    public async Task OnlyUpcomingItems_CopyNoEscalationContacts()
    {
        await using var services = Services();
        var agency = await Uploads.RegisterAsync(services);

        var result = await services.GetRequiredService<ReminderService>().RunAsync(AsOf(2017, 10, 10, services));

        var digest = Assert.Single(result.Sent, d => d.Agency == agency.Id);
        Assert.Equal([new DigestItem("inventory", 0, "upcoming")], digest.Items);
        Assert.Empty(digest.Cc);
    }

    [Fact]
    public async Task ACatchUpWeeksLate_NeverAnnouncesRemovalDayAsNews_ButMentionsIt()
    {
        await using var services = Services();
        await LateAgencyAsync(services);

        await services.GetRequiredService<ReminderService>().RunAsync(AsOf(2018, 1, 15, services));

        var mail = Assert.Single(Reminders());
        Assert.DoesNotContain("begins", mail.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("begin today", Text(mail), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("12 Dec 2017", Text(mail));
    }

    [Fact]
    public async Task TheCalendar_HoldsEveryUpcomingDeadline_WithUidsThatStayTheSameFromOneDigestToTheNext()
    {
        await using var services = Services();
        var agency = await Uploads.RegisterAsync(services);
        var reminders = services.GetRequiredService<ReminderService>();

        await reminders.RunAsync(AsOf(2017, 9, 29, services));
        await reminders.RunAsync(AsOf(2017, 10, 6, services));

        var calendars = Reminders().Select(Calendar).ToArray();
        Assert.Equal(2, calendars.Length);
        static string[] Uids(string ics) => ics.Replace("\r\n ", string.Empty, StringComparison.Ordinal).Split("\r\n").Where(l => l.StartsWith("UID:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Uids(calendars[0]), Uids(calendars[1]));
        Assert.Contains($"UID:{agency.Id}-inventory-0@kdirective", Uids(calendars[0]));
        Assert.Contains($"UID:{agency.Id}-plan-0@kdirective", Uids(calendars[0]));
        Assert.Contains("DTSTART;VALUE=DATE:20171013", calendars[0]);
        Assert.Contains("DTSTART;VALUE=DATE:20171112", calendars[0]);
        Assert.All(calendars[0].Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, line));
    }
}
