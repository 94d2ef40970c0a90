using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Email;
using KDirective.Tests.Ingestion;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KDirective.Tests.Reminders;

[Collection(IsolatedAzuriteCollection.Name)]
public sealed class ReceiptTests(IsolatedAzurite azurite) : IAsyncLifetime
{
    private readonly FakeSendGrid _sendGrid = new();

    public Task InitializeAsync() => azurite.ResetAsync();

    public async Task DisposeAsync() => await _sendGrid.DisposeAsync();

    private ServiceProvider Services() => Pipeline.Create(
        azurite,
        config: new Dictionary<string, string?> { ["SendGrid:ApiKey"] = "SG.test-only" },
        configure: s =>
        {
            s.Configure<KDirective.Email.SendGridOptions>(o => (o.Host, o.BaseDelay, o.MaxAttempts) = (_sendGrid.Host, TimeSpan.FromMilliseconds(10), 2));
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Information).AddFakeLogging());
        });

    [Fact]
    public async Task UploadUnderNoRegisteredAgency_IsRejected_WithNoOneToReceiptIt_AndTheLogSaysWhy()
    {
        await using var services = Services();
        await Uploads.RegisterAsync(services, "known");

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, "unknown/inv.csv", Uploads.Inventory(2)));

        Assert.Equal("'unknown' is not a registered agency; upload under your agency's folder", result.Report!.Error);
        Assert.Empty(_sendGrid.Requests);
        var entry = Assert.Single(services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 4003);
        Assert.Equal($"No receipt for submission {result.Submission.SubmissionId}: it names no registered agency", entry.Message);
    }

    [Fact]
    public async Task AcceptedInventory_GetsOneReceiptWithFindingsAndWhatIsDueNext()
    {
        await using var services = Services();
        var agency = await Uploads.RegisterAsync(services, "acc");
        var blob = await Uploads.UploadAsync(services, "acc/inv.csv", Uploads.Inventory(4));
        var ingestion = services.GetRequiredService<IngestionService>();

        await ingestion.IngestAsync(blob, new DateTimeOffset(2017, 10, 2, 15, 0, 0, TimeSpan.Zero));
        await ingestion.IngestAsync(blob, new DateTimeOffset(2017, 10, 2, 15, 0, 0, TimeSpan.Zero)); // redelivered

        var receipt = Assert.Single(_sendGrid.Requests);
        Assert.Equal("BOD 17-01: inventory received (inv.csv) - Department of Testing (acc)", receipt.Subject);
        Assert.Contains("Kaspersky Endpoint Security for Windows: 4 endpoint(s)", receipt.Body);
        Assert.Contains("Next due: removal plan by the end of Sun 12 Nov 2017", receipt.Body);
        Assert.Contains(agency.ContactEmails[0], receipt.Body);
    }

    [Fact]
    public async Task RejectedUpload_GetsAReceiptWithTheReasonAndTheFirstRejectedLines()
    {
        await using var services = Services();
        await Uploads.RegisterAsync(services, "rej");
        var ingestion = services.GetRequiredService<IngestionService>();

        await ingestion.IngestAsync(await Uploads.UploadAsync(services, "rej/partial.csv", "Hostname,Publisher,Product,Version\nPC-1,Kaspersky Lab,Kaspersky Anti-Virus,1\nPC-2,,,\nPC-3,x\n"));
        await ingestion.IngestAsync(await Uploads.UploadAsync(services, "rej/broken.csv", "Machine,App\nPC,Kaspersky\n"));

        var partial = Assert.Single(_sendGrid.Requests, r => r.Subject.Contains("partial.csv", StringComparison.Ordinal));
        Assert.Contains("line 3: no product name", partial.Body);
        Assert.Contains("line 4: expected 4 fields", partial.Body);
        var broken = Assert.Single(_sendGrid.Requests, r => r.Subject.Contains("broken.csv", StringComparison.Ordinal));
        Assert.Contains("REJECTED", broken.Subject);
        Assert.Contains("no known inventory format", broken.Body);
    }

    [Fact]
    public async Task UploadDerivedValues_AreHtmlEncoded()
    {
        await using var services = Services();
        await services.GetRequiredService<KDirective.Agencies.AgencyRegistry>().UpsertAsync([new("xss", "Dept <script>alert(1)</script>", ["a@xss.example.gov"], [])]);
        var ingestion = services.GetRequiredService<IngestionService>();

        await ingestion.IngestAsync(await Uploads.UploadAsync(services, "xss/<img src=x onerror=alert(1)>.csv",
            "Hostname,Publisher,Product,Version\nPC-1,Kaspersky Lab,Kaspersky <b>Anti</b>-Virus,1\n"));

        var body = Assert.Single(_sendGrid.Requests).Body;
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var html = json.RootElement.GetProperty("content").EnumerateArray().Single(c => c.GetProperty("type").GetString() == "text/html").GetProperty("value").GetString()!;
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;.csv", html);
    }

    [Fact]
    public async Task ReceiptThatFailedToSend_IsSentByTheNextReminderRun()
    {
        await using var services = Services();
        await Uploads.RegisterAsync(services, "late");
        _sendGrid.Script((500, null), (500, null));
        await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, "late/inv.csv", Uploads.Inventory(1)), new DateTimeOffset(2017, 10, 2, 15, 0, 0, TimeSpan.Zero));
        Assert.Empty(_sendGrid.Accepted);

        await services.GetRequiredService<KDirective.Reminders.ReminderService>().RunAsync(new DateTimeOffset(2017, 10, 3, 13, 0, 0, TimeSpan.Zero));
        await services.GetRequiredService<KDirective.Reminders.ReminderService>().RunAsync(new DateTimeOffset(2017, 10, 4, 13, 0, 0, TimeSpan.Zero));

        Assert.Single(_sendGrid.Accepted, s => s.Contains("inventory received", StringComparison.Ordinal));
    }
}
