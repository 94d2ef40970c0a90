using System.Text.Json;
using Azure.Data.Tables;
using KDirective.Functions;
using KDirective.Storage;
using KDirective.Tests.Ingestion;
using KDirective.Tests.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Boot;

/// <summary>
/// Each function class, created as the worker creates it and called directly with real Azurite blobs and a timer,
/// in the booted app (outbox-only email, the data connection pointed at Azurite instead of an identity endpoint).
/// </summary>
[Collection(IsolatedAzuriteCollection.Name)]
public sealed class FunctionRunTests(IsolatedAzurite azurite) : IAsyncLifetime
{
    private readonly string _outbox = Directory.CreateTempSubdirectory("kdirective-boot-outbox-").FullName;

    public Task InitializeAsync() => azurite.ResetAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(_outbox, recursive: true);
        return Task.CompletedTask;
    }

    private Dictionary<string, string> Settings()
    {
        var settings = CompiledSettings.Resolve(AzureStandIns.With(string.Empty, sendGridRequired: false));
        foreach (var identity in settings.Keys.Where(k => k.StartsWith("InventoryStorage__", StringComparison.Ordinal)).ToArray())
        {
            settings.Remove(identity);
        }

        settings["InventoryStorage"] = azurite.ConnectionString;
        settings["Email__Outbox"] = _outbox;
        return settings;
    }

    private static async Task<int> RowsAsync(IServiceProvider services, string table, string agency)
    {
        var rows = 0;
        await foreach (var _ in services.GetRequiredService<StorageConnection>().Tables.GetTableClient(table).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {agency}")))
        {
            rows++;
        }

        return rows;
    }

    [Fact]
    public async Task EachFunction_RunInTheBootedApp_StoresWhatItShould()
    {
        using var host = BootedApp.Build(Settings());
        BootedApp.ValidateOnStart(host);
        var services = host.Services;
        Assert.Equal(6, BootTests.FunctionClasses().Length);
        var agency = await Uploads.RegisterAsync(services, "boot");

        var inventory = await Uploads.UploadAsync(services, "boot/inventory.csv", Uploads.Inventory(3));
        await ActivatorUtilities.CreateInstance<InventoryUploaded>(services).Run(inventory, CancellationToken.None);
        var plan = await Uploads.UploadAsync(services, "boot/plan.txt", "Removal plan: every endpoint by 12 Dec 2017.", StorageNames.PlansContainer);
        await ActivatorUtilities.CreateInstance<PlanUploaded>(services).Run(plan, CancellationToken.None);

        var results = services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(StorageNames.ResultsContainer);
        using var result = JsonDocument.Parse((await results.GetBlobClient("boot/inventories/inventory.csv.json").DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal("boot", result.RootElement.GetProperty("agency").GetString());
        Assert.Equal(3, result.RootElement.GetProperty("endpointsAffected").GetInt32());
        Assert.True((await results.GetBlobClient("boot/plans/plan.txt.json").ExistsAsync()).Value);
        Assert.Equal(2, await RowsAsync(services, StorageNames.SubmissionsTable, agency.Id));
        Assert.Equal(1, await RowsAsync(services, StorageNames.StatusTable, agency.Id));

        var claimsBefore = await RowsAsync(services, StorageNames.RemindersTable, agency.Id);
        var emailsBefore = Directory.GetFiles(_outbox).Length;
        await ActivatorUtilities.CreateInstance<ReminderTimer>(services).Run(new TimerInfo(), CancellationToken.None);

        // Run in real time (years after 2017), the agency is overdue on its status reports: the timer claims and writes notices.
        Assert.True(await RowsAsync(services, StorageNames.RemindersTable, agency.Id) > claimsBefore);
        Assert.True(Directory.GetFiles(_outbox).Length > emailsBefore);

        // Nothing is stuck in processing, so the sweep keeps both submissions as they are.
        await ActivatorUtilities.CreateInstance<SubmissionSweepTimer>(services).Run(new TimerInfo(), CancellationToken.None);
        Assert.Equal(2, await RowsAsync(services, StorageNames.SubmissionsTable, agency.Id));

        // The weekly digest goes to the operators' address from the compiled settings, once.
        var beforeDigest = Directory.GetFiles(_outbox).Length;
        await ActivatorUtilities.CreateInstance<DigestTimer>(services).Run(new TimerInfo(), CancellationToken.None);
        Assert.Equal(beforeDigest + 1, Directory.GetFiles(_outbox).Length);
        await ActivatorUtilities.CreateInstance<DigestTimer>(services).Run(new TimerInfo(), CancellationToken.None);
        Assert.Equal(beforeDigest + 1, Directory.GetFiles(_outbox).Length);

        // The dashboard's HTTP function: an anonymous API call is refused with 401, never served.
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = "/api/status";
        context.Response.Body = new MemoryStream();
        await ActivatorUtilities.CreateInstance<DashboardHttp>(services).Run(context.Request);
        Assert.Equal(401, context.Response.StatusCode);
    }
}
