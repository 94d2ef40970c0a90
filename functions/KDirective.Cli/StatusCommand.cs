using System.Text.Json;
using KDirective.Agencies;
using KDirective.Ingestion;
using KDirective.Inventory;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli;

/// <summary><c>kdirective status [--json]</c>: one line per registered agency.</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string> { "--json" }, new HashSet<string> { "--storage" });
        if (parsed.Positionals.Count != 0)
        {
            throw new UsageException("status [--json]");
        }

        await using var services = await CliServices.CreateAsync(parsed.Get("--storage"), cancellationToken);
        var agencies = await services.GetRequiredService<AgencyRegistry>().ListAsync(cancellationToken);
        var statuses = (await services.GetRequiredService<StatusStore>().ListAsync(cancellationToken)).ToDictionary(s => s.PartitionKey);
        var rows = agencies.Select(a => Row(a, statuses.GetValueOrDefault(a.Id))).ToArray();

        if (parsed.Has("--json"))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(rows, InventoryJson.Options));
            return 0;
        }

        await output.WriteLineAsync($"{"agency",-10} {"name",-42} {"inventory",-12} {"affected",8}  products");
        foreach (var r in rows)
        {
            var products = r.Products.Count == 0 ? (r.InventoryReceivedAt is null ? "-" : "none found")
                : string.Join("; ", r.Products.Select(p => $"{p.Product} ({p.Endpoints})"));
            await output.WriteLineAsync($"{r.Agency,-10} {Truncate(r.Name, 42),-42} {r.InventoryReceivedAt?.ToString("yyyy-MM-dd") ?? "MISSING",-12} {r.EndpointsAffected?.ToString() ?? "-",8}  {products}");
        }

        return 0;
    }

    private static StatusRow Row(Agency agency, AgencyStatusEntity? status) => new(
        agency.Id,
        agency.Name,
        status?.FirstInventoryAt,
        status?.FirstInventoryAt is null ? null : status.LatestEndpointsAffected,
        status is null ? [] : JsonSerializer.Deserialize<List<ProductCount>>(status.LatestProductsJson, InventoryJson.Options) ?? []);

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";

    internal sealed record StatusRow(string Agency, string Name, DateTimeOffset? InventoryReceivedAt, long? EndpointsAffected, IReadOnlyList<ProductCount> Products);
}
