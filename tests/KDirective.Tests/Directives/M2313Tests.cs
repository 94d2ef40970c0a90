using System.Text.Json;
using KDirective.Detection;
using KDirective.Directive;
using KDirective.Email;
using KDirective.Ingestion;
using KDirective.Inventory;
using KDirective.Reminders;
using KDirective.Tests.Cli;
using KDirective.Tests.Email;
using KDirective.Tests.Ingestion;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KDirective.Tests.Directives;

/// <summary>A second ban, OMB M-23-13 (TikTok), run end to end from its sample configuration alone.</summary>
[Collection(IsolatedAzuriteCollection.Name)]
public sealed class M2313Tests(IsolatedAzurite azurite) : IAsyncLifetime
{
    private static readonly string[] Banned = ["CapCut", "TikTok", "TikTok LIVE Studio", "TikTok Lite"];

    private readonly FakeSendGrid _sendGrid = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2023, 3, 10, 15, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => azurite.ResetAsync();

    public async Task DisposeAsync() => await _sendGrid.DisposeAsync();

    private ServiceProvider Services() => SendGridPipeline.Create(azurite, _sendGrid, _clock, config: M2313.Settings());

    private static DateTimeOffset AsOf(int month, int day, ServiceProvider services) =>
        services.GetRequiredService<DirectiveCalendar>().At(new DateOnly(2023, month, day), new TimeOnly(9, 0));

    [Fact]
    public async Task TheTikTokCatalog_FindsTheTikTokAndByteDanceRowsOfAnIntuneExport_AndNothingElse()
    {
        var report = await new InventoryReader(new ProductMatcher(CatalogSource.LoadFile(M2313.Catalog)))
            .ReadAsync(new FileInventorySource(M2313.RawExport), keepMatches: true);

        Assert.Equal("intune-appinv-raw", report.Format);
        Assert.Equal(0, report.RowsRejected);
        Assert.Equal(
            ["CapCut", "TikTok", "TikTok LIVE Studio", "com.lemon.lvoverseas", "com.ss.android.ugc.trill", "com.zhiliaoapp.musically", "com.zhiliaoapp.musically.go"],
            report.Matches.Select(m => m.Name).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(Banned, report.Findings.Select(f => f.Product).Order(StringComparer.Ordinal));
        Assert.Equal(8, report.EndpointsAffected);
    }

    [Fact]
    public async Task Inspect_WithTheTikTokCatalog_ReportsTikTokNotKasperskyNorTickTick()
    {
        var (code, output, error) = await InspectCommandTests.Run("inspect", "--catalog", M2313.Catalog, "--json", "--matches", M2313.RawExport);
        var builtIn = await InspectCommandTests.Run("inspect", "--json", M2313.RawExport);

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(Banned, json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("product").GetString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("Kaspersky", output);
        Assert.DoesNotContain("TickTick", output);
        using var kaspersky = JsonDocument.Parse(builtIn.Output);
        Assert.Equal("Kaspersky Endpoint Security for Windows", Assert.Single(kaspersky.RootElement.GetProperty("findings").EnumerateArray()).GetProperty("product").GetString());
    }

    [Fact]
    public async Task TheAggregatedIntuneExport_IsReadWithItsDeviceCounts()
    {
        var report = await new InventoryReader(new ProductMatcher(CatalogSource.LoadFile(M2313.Catalog)))
            .ReadAsync(new FileInventorySource(M2313.AggregateExport));

        Assert.Equal("intune-appinv", report.Format);
        Assert.Null(report.EndpointsAffected);
        Assert.Equal(Banned, report.Findings.Select(f => f.Product).Order(StringComparer.Ordinal));
        Assert.Equal(15, report.Findings.Single(f => f.Product == "TikTok").Endpoints); // five TikTok rows of DeviceCount 3
    }

    [Fact]
    public async Task EndToEnd_IngestionStatusAndReminders_UseTheMemosNamesAndDates()
    {
        await using var services = Services();
        var reported = await Uploads.RegisterAsync(services);
        var silent = await Uploads.RegisterAsync(services);
        var result = await services.GetRequiredService<IngestionService>().IngestAsync(
            await Uploads.UploadFileAsync(services, $"{reported.Id}/intune-appinvrawdata.csv", M2313.RawExport), new DateTimeOffset(2023, 3, 10, 15, 0, 0, TimeSpan.Zero));

        // Ingestion and status: the TikTok catalog decided what was found.
        Assert.True(result.Submission.IsAccepted);
        var status = await services.GetRequiredService<StatusStore>().FindAsync(reported.Id);
        Assert.Equal(8, status!.LatestEndpointsAffected);
        Assert.Contains("TikTok LIVE Studio", status.LatestProductsJson);
        Assert.DoesNotContain("Kaspersky", status.LatestProductsJson);
        var receipt = Assert.Single(_sendGrid.Requests, r => r.Subject.Contains("received", StringComparison.Ordinal));
        Assert.Equal("OMB M-23-13: inventory received (intune-appinvrawdata.csv) - " + reported.Name, receipt.Subject);
        Assert.Contains("TikTok-branded products found", receipt.Body);

        // The memo's calendar: everything is due on day 30, Wed 29 Mar 2023.
        var milestones = services.GetRequiredService<MilestoneEvaluator>().Evaluate(
            AgencyHistory.From(await services.GetRequiredService<SubmissionStore>().ListAsync(reported.Id), AsOf(3, 26, services)), AsOf(3, 26, services));
        Assert.Equal(new DateOnly(2023, 3, 29), milestones.States.Single(s => s.Milestone == MilestoneIds.Inventory).DueDate);
        Assert.Equal(MilestoneStateKind.Met, milestones.States.Single(s => s.Milestone == MilestoneIds.Inventory).State);

        // Reminders: three days before, the silent agency's digest leads with its inventory; after it, the plan is overdue.
        var reminders = services.GetRequiredService<ReminderService>();
        var before = await reminders.RunAsync(AsOf(3, 26, services));
        var after = await reminders.RunAsync(AsOf(3, 30, services));

        var upcoming = Assert.Single(before.Sent, d => d.Agency == silent.Id);
        Assert.StartsWith("OMB M-23-13: inventory report due in 3 days", upcoming.Subject);
        Assert.EndsWith(silent.Name, upcoming.Subject);
        Assert.Equal(new DigestItem("inventory", 0, "upcoming"), upcoming.Items[0]);
        var overdue = Assert.Single(after.Sent, d => d.Agency == reported.Id);
        Assert.StartsWith("OMB M-23-13: removal plan OVERDUE", overdue.Subject);
        Assert.Equal(reported.EscalationEmails, overdue.Cc);
        Assert.All(_sendGrid.Requests, r => Assert.DoesNotContain("BOD 17-01", r.Body));
        Assert.All(_sendGrid.Requests, r => Assert.DoesNotContain("Kaspersky", r.Body));
    }

    [Fact]
    public void ABadCatalog_FailsStartUp_WithItsLineAndReason()
    {
        var bad = Paths.TempFile(".tsv");
        File.WriteAllText(bad, "brand\ttiktok\nproduct\tcapcut\n");
        var config = M2313.Settings();
        config["Directive:Catalog"] = bad;
        using var services = Pipeline.Create(azurite, config: config);

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DirectiveOptions>>().Value);

        Assert.Contains($"Directive:Catalog: catalog {bad} line 2: a product row needs a canonical product name", e.Message);
    }
}
