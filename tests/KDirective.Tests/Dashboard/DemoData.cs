using KDirective.Agencies;
using KDirective.Ingestion;
using KDirective.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Dashboard;

/// <summary>
/// The demo's data: the sample agencies and every sample upload at its simulated time, plus one hostile agency whose
/// name and hostnames carry markup, as an attacker with a registry row or an upload could write them.
/// </summary>
internal static class DemoData
{
    public const string HostileId = "zz-hostile";
    public const string HostileName = "<script>window.__pwned='name'</script><img src=x onerror=\"window.__pwned='img'\"> Agency";
    public const string HostileHost = "<img src=x onerror=\"window.__pwned='host'\">";

    public static async Task LoadAsync(IServiceProvider services)
    {
        await using (var file = File.OpenRead(Path.Combine(Paths.Samples, "agencies.csv")))
        {
            var read = await AgencyCsv.ReadAsync(file);
            await services.GetRequiredService<AgencyRegistry>().UpsertAsync(
                read.Agencies.Append(new Agency(HostileId, HostileName, ["ciso@hostile.example.gov"], [])));
        }

        var ingestion = services.GetRequiredService<IngestionService>();
        var blobs = services.GetRequiredService<StorageConnection>().Blobs;
        foreach (var line in File.ReadAllLines(Path.Combine(Paths.Samples, "uploads.csv")).Skip(1))
        {
            var (agency, kind, received, file) = line.Split(',') switch { [var a, var k, var r, var f] => (a, k, DateTimeOffset.Parse(r, System.Globalization.CultureInfo.InvariantCulture), f), _ => throw new InvalidDataException(line) };
            var container = kind == "plan" ? StorageNames.PlansContainer : StorageNames.InventoriesContainer;
            var blob = blobs.GetBlobContainerClient(container).GetBlobClient($"{agency}/{Path.GetFileName(file)}");
            await blob.UploadAsync(Path.Combine(Paths.Samples, file), overwrite: true);
            await ingestion.IngestAsync(blob, received);
        }

        var hostile = blobs.GetBlobContainerClient(StorageNames.InventoriesContainer).GetBlobClient($"{HostileId}/inventory.csv");
        await hostile.UploadAsync(BinaryData.FromString(
            $"Hostname,Publisher,Product,Version\n\"{HostileHost.Replace("\"", "\"\"", StringComparison.Ordinal)}\",AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11\n\"=HYPERLINK(\"\"x\"\")\",AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11\n"), overwrite: true);
        await ingestion.IngestAsync(hostile, new DateTimeOffset(2017, 10, 3, 14, 0, 0, TimeSpan.Zero));
    }
}
