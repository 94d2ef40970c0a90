using System.Text.Json;
using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Ingestion;
using KDirective.Inventory;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli;

/// <summary><c>kdirective status [--json]</c>: one line per registered agency.</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string> { "--json", "--csv" }, new HashSet<string> { "--storage", "--as-of" });
        if (parsed.Positionals.Count != 0)
        {
            throw new UsageException("status [--as-of YYYY-MM-DD] [--json | --csv]");
        }

        await using var services = await CliServices.CreateAsync(parsed.Get("--storage"), cancellationToken);
        var evaluator = services.GetRequiredService<MilestoneEvaluator>();
        var asOf = AsOf.Parse(parsed.Get("--as-of"), evaluator.Calendar) ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        var agencies = await services.GetRequiredService<AgencyRegistry>().ListAsync(cancellationToken);
        var submissions = services.GetRequiredService<SubmissionStore>();
        var statuses = (await services.GetRequiredService<StatusStore>().ListAsync(cancellationToken)).ToDictionary(s => s.PartitionKey);
        var rows = new List<StatusRow>();
        foreach (var agency in agencies)
        {
            var history = AgencyHistory.From(await submissions.ListAsync(agency.Id, cancellationToken: cancellationToken), asOf);
            rows.Add(Row(agency, statuses.GetValueOrDefault(agency.Id), evaluator.Evaluate(history, asOf), asOf));
        }

        if (parsed.Has("--json"))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(rows, InventoryJson.Options));
            return 0;
        }

        if (parsed.Has("--csv"))
        {
            StatusCsv.Write(rows, output);
            return 0;
        }

        await output.WriteLineAsync($"as of {asOf:yyyy-MM-dd HH:mm} UTC");
        await output.WriteLineAsync($"{"agency",-10} {"name",-42} {"inventory",-12} {"affected",8}  products");
        foreach (var r in rows)
        {
            var products = r.Products.Count == 0 ? (r.InventoryReceivedAt is null ? "-" : "none found")
                : string.Join("; ", r.Products.Select(p => $"{p.Product} ({p.Endpoints})"));
            await output.WriteLineAsync($"{r.Agency,-10} {Truncate(r.Name, 42),-42} {r.InventoryReceivedAt?.ToString("yyyy-MM-dd") ?? "MISSING",-12} {r.EndpointsAffected?.ToString() ?? "-",8}  {products}");
            var milestones = r.Milestones.Select(m => $"{m.Milestone}{(m.Period > 0 ? $" {m.Period}" : string.Empty)} due {m.DueDate:yyyy-MM-dd}: {m.Describe}");
            await output.WriteLineAsync($"{string.Empty,-10} {string.Join(" | ", milestones)}");
        }

        return 0;
    }

    /// <summary>
    /// Inventory and products come from the status row (the latest accepted inventory); with --as-of in the past,
    /// only milestones are as of that date, and an agency whose first inventory came later shows as missing.
    /// </summary>
    private static StatusRow Row(Agency agency, AgencyStatusEntity? status, AgencyMilestones milestones, DateTimeOffset asOf)
    {
        var received = status?.FirstInventoryAt is { } first && first <= asOf ? first : (DateTimeOffset?)null;
        return new StatusRow(
            agency.Id,
            agency.Name,
            received,
            received is null ? null : status!.LatestEndpointsAffected,
            received is null ? [] : JsonSerializer.Deserialize<List<ProductCount>>(status!.LatestProductsJson, InventoryJson.Options) ?? [],
            milestones.States.Select(m => new MilestoneRow(m.Milestone, m.Period, m.DueDate, m.StateLabel, m.MetAt, m.Late, m.Describe())).ToArray(),
            milestones.RemovalCompletedAt);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";

    internal sealed record StatusRow(
        string Agency, string Name, DateTimeOffset? InventoryReceivedAt, long? EndpointsAffected, IReadOnlyList<ProductCount> Products,
        IReadOnlyList<MilestoneRow> Milestones, DateTimeOffset? RemovalCompletedAt);

    internal sealed record MilestoneRow(
        string Milestone, int Period, DateOnly DueDate, string State, DateTimeOffset? MetAt, bool Late,
        [property: System.Text.Json.Serialization.JsonIgnore] string Describe);
}
