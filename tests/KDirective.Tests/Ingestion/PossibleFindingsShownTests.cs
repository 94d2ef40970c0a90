using System.Net;
using System.Text.Json;
using KDirective.Dashboard;
using KDirective.Dashboard.Web;
using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Email;
using KDirective.Tests.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KDirective.Tests.Ingestion;

/// <summary>
/// A line that looks like a banned product but was not counted (a broken row, or the brand outside the product
/// columns) must reach the people who act on it: the receipt, the operator's log and the dashboard, not only the
/// result blob. Before 2026-12-07 an accepted file with such a line got a receipt saying none were present.
/// </summary>
[Collection(IsolatedAzuriteCollection.Name)]
public sealed class PossibleFindingsShownTests(IsolatedAzurite azurite) : IAsyncLifetime
{
    /// <summary>Line 2 is read (another vendor); line 3 has three fields where the header has four, and names Kaspersky.</summary>
    private const string OneBrokenKasperskyLine =
        "Hostname,Publisher,Product,Version\nPC-1,Microsoft,Office,16\nPC-2<i>,,Kaspersky Endpoint Security\n";

    private readonly FakeSendGrid _sendGrid = new();

    public Task InitializeAsync() => azurite.ResetAsync();

    public async Task DisposeAsync() => await _sendGrid.DisposeAsync();

    private static readonly Dictionary<string, string?> Settings = new() { ["SendGrid:ApiKey"] = "SG.test-only" };

    private ServiceProvider Services() => Pipeline.Create(
        azurite,
        config: Settings,
        configure: s =>
        {
            s.Configure<KDirective.Email.SendGridOptions>(o => (o.Host, o.BaseDelay, o.MaxAttempts) = (_sendGrid.Host, TimeSpan.FromMilliseconds(10), 2));
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Information).AddFakeLogging());
        });

    [Fact]
    public async Task AcceptedFileWithALineThatLooksLikeKaspersky_IsStoredCountedAndTheReceiptNeverSaysNoneArePresent()
    {
        await using var services = Services();
        await Uploads.RegisterAsync(services, "pos");

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, "pos/inv.csv", OneBrokenKasperskyLine));

        Assert.True(result.Submission.IsAccepted);
        Assert.Empty(result.Report!.Findings);
        var stored = await services.GetRequiredService<SubmissionStore>().FindAsync(result.Submission.PartitionKey, result.Submission.SubmissionId);
        Assert.Equal(1, stored!.PossibleFindingCount);
        using (var kept = JsonDocument.Parse(stored.PossibleFindingsJson))
        {
            var first = Assert.Single(kept.RootElement.EnumerateArray());
            Assert.Equal(3, first.GetProperty("line").GetInt64());
            Assert.Equal("Kaspersky Endpoint Security", first.GetProperty("product").GetString());
        }

        var receipt = Assert.Single(_sendGrid.Requests);
        Assert.Equal("BOD 17-01: inventory received, 1 line(s) to check (inv.csv) - Department of Testing (pos)", receipt.Subject);
        var (text, html) = Contents(receipt.Body);
        Assert.DoesNotContain("none are present", text);
        Assert.Contains("No rows were counted as Kaspersky-branded products, but some lines look like them", text);
        Assert.Contains("Lines that look like Kaspersky-branded products but were not counted (1)", text);
        Assert.Contains("line 3: Kaspersky Endpoint Security in PC-2<i>,,Kaspersky Endpoint Security", text);
        Assert.DoesNotContain("PC-2<i>", html);
        Assert.Contains("PC-2&lt;i&gt;", html);

        var warning = Assert.Single(services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 3012);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal($"Submission {result.Submission.SubmissionId} for pos (pos/inv.csv): 1 line(s) look like banned products but were not counted; see the result's possible findings", warning.Message);
    }

    [Fact]
    public async Task RejectedFile_ListsItsLinesThatLookLikeKaspersky_InTheReceipt()
    {
        await using var services = Services();
        await Uploads.RegisterAsync(services, "rej");

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(
            await Uploads.UploadAsync(services, "rej/inv.csv", "Hostname,Publisher,Product,Version\nPC-1,Kaspersky Lab,Kaspersky Anti-Virus\n"));

        Assert.False(result.Submission.IsAccepted);
        var receipt = Assert.Single(_sendGrid.Requests);
        Assert.Equal("BOD 17-01: inventory REJECTED (inv.csv) - Department of Testing (rej)", receipt.Subject);
        var (text, _) = Contents(receipt.Body);
        Assert.Contains("Lines that look like Kaspersky-branded products but were not counted (1)", text);
        Assert.True(text.Contains("line 2: Kaspersky Lab in PC-1,Kaspersky Lab,Kaspersky Anti-Virus", StringComparison.Ordinal), text);
    }

    [Fact]
    public async Task CleanFile_KeepsTheReceiptThatSaysNoneArePresent_AndLogsNoWarning()
    {
        await using var services = Services();
        await Uploads.RegisterAsync(services, "clean");

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(
            await Uploads.UploadAsync(services, "clean/inv.csv", "Hostname,Publisher,Product,Version\nPC-1,Microsoft,Office,16\n"));

        Assert.Equal(0, result.Submission.PossibleFindingCount);
        var receipt = Assert.Single(_sendGrid.Requests);
        Assert.Equal("BOD 17-01: inventory received (inv.csv) - Department of Testing (clean)", receipt.Subject);
        Assert.Contains("No Kaspersky-branded products were found. This inventory reports that none are present.", Contents(receipt.Body).Text);
        Assert.DoesNotContain("not counted", Contents(receipt.Body).Text);
        Assert.DoesNotContain(services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 3012);
    }

    [Fact]
    public async Task Dashboard_ShowsTheLinesThatLookLikeKaspersky_Escaped_OnTheAgencyPageAndInItsApi()
    {
        await using (var services = Services())
        {
            await Uploads.RegisterAsync(services, "dash");
            await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, "dash/inv.csv", OneBrokenKasperskyLine));
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:Outbox"] = Path.Combine(Path.GetTempPath(), "kdirective-tests", "outbox"),
        }).Build();
        await using var app = DashboardServer.Build(0, s =>
        {
            s.AddSingleton(azurite.Connect());
            s.AddKDirective(configuration);
            s.AddDashboard(DateTimeOffset.UtcNow);
            s.AddSingleton<IDashboardAuthenticator, LocalOperatorAuthenticator>();
        }, configuration);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(DashboardServer.Url(app)) };

        using var page = await http.GetAsync("/agencies/dash");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("1 line(s) look like banned products but were not counted", html);
        Assert.Contains("line 3: Kaspersky Endpoint Security in", html);
        Assert.Contains("PC-2&lt;i&gt;,,Kaspersky Endpoint Security", html);
        Assert.DoesNotContain("PC-2<i>", html);

        using var api = JsonDocument.Parse(await http.GetStringAsync("/api/agencies/dash"));
        var submission = Assert.Single(api.RootElement.GetProperty("submissions").EnumerateArray());
        Assert.Equal(1, submission.GetProperty("possibleFindings").GetInt64());
        Assert.Equal(3, Assert.Single(submission.GetProperty("firstPossibleFindings").EnumerateArray()).GetProperty("line").GetInt64());
    }

    private static (string Text, string Html) Contents(string body)
    {
        using var json = JsonDocument.Parse(body);
        string Of(string type) => json.RootElement.GetProperty("content").EnumerateArray()
            .Single(c => c.GetProperty("type").GetString() == type).GetProperty("value").GetString()!;
        return (Of("text/plain"), Of("text/html"));
    }
}
