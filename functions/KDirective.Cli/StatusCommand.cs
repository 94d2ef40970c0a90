using System.Text.Json;
using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Ingestion;
using KDirective.Inventory;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli;

/// <summary><c>kdirective status [--json | --csv]</c>: one line per registered agency, streamed.</summary>
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
        var rows = RowsAsync(services, evaluator, asOf, cancellationToken);
        if (parsed.Has("--json"))
        {
            await StatusJson.WriteAsync(rows, output, cancellationToken);
            return 0;
        }

        if (parsed.Has("--csv"))
        {
            await StatusCsv.WriteAsync(rows, output, cancellationToken);
            return 0;
        }

        await output.WriteLineAsync($"as of {asOf:yyyy-MM-dd HH:mm} UTC");
        await output.WriteLineAsync($"{"agency",-10} {"name",-42} {"inventory",-12} {"affected",8}  products");
        await foreach (var r in rows)
        {
            var products = r.Products.Count == 0 ? (r.InventoryReceivedAt is null ? "-" : "none found")
                : string.Join("; ", r.Products.Select(p => $"{p.Product} ({p.Endpoints})"));
            await output.WriteLineAsync(TerminalSafe($"{r.Agency,-10} {Truncate(r.Name, 42),-42} {r.InventoryReceivedAt?.ToString("yyyy-MM-dd") ?? "MISSING",-12} {r.EndpointsAffected?.ToString() ?? "-",8}  {products}"));
            var milestones = r.Milestones.Select(m => $"{m.Milestone}{(m.Period > 0 ? $" {m.Period}" : string.Empty)} due {m.DueDate:yyyy-MM-dd}: {m.Describe}");
            await output.WriteLineAsync($"{string.Empty,-10} {string.Join(" | ", milestones)}");
            if (HostsLine(r) is { } hosts)
            {
                await output.WriteLineAsync(TerminalSafe($"{string.Empty,-10} {hosts}"));
            }
        }

        return 0;
    }

    /// <summary>One agency at a time, each row written before the next is read, so memory does not grow with agencies.</summary>
    private static async IAsyncEnumerable<StatusRow> RowsAsync(IServiceProvider services, MilestoneEvaluator evaluator, DateTimeOffset asOf, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var submissions = services.GetRequiredService<SubmissionStore>();
        var diffs = services.GetRequiredService<HostDiffStore>();

        // Both the registry and the status table come in agency-id order: walk them side by side (a merge join)
        // instead of holding every status row or reading each one separately.
        await using var statuses = services.GetRequiredService<StatusStore>().StreamAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var more = await statuses.MoveNextAsync();
        foreach (var agency in (await services.GetRequiredService<AgencyRegistry>().ListAsync(cancellationToken)).OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            while (more && string.CompareOrdinal(statuses.Current.PartitionKey, agency.Id) < 0)
            {
                more = await statuses.MoveNextAsync();
            }

            var status = more && statuses.Current.PartitionKey == agency.Id ? statuses.Current : null;
            var history = AgencyHistory.From(await submissions.ListAsync(agency.Id, cancellationToken: cancellationToken), asOf);
            var diff = status is null ? null : await diffs.GetLatestSummaryAsync(agency.Id, cancellationToken);
            yield return Row(agency, status, diff, evaluator.Evaluate(history, asOf), asOf);
        }
    }

    /// <summary>What the latest inventory says about hosts: what it lacks (partial coverage) and which still carry the product.</summary>
    internal static string? HostsLine(StatusRow r)
    {
        var parts = new List<string>();
        if (r.Coverage == CoverageKinds.Partial)
        {
            parts.Add(r.HostsLackingCount > 0
                ? $"coverage: partial, lacks {r.HostsLackingCount} host(s): {List(r.HostsLacking, r.HostsLackingCount)}"
                : "coverage: partial (fleet smaller than the last full inventory's)");
        }

        if (r.HostsCarryingCount > 0)
        {
            parts.Add($"still carrying: {r.HostsCarryingCount} host(s): {List(r.HostsCarrying, r.HostsCarryingCount ?? 0)}");
        }

        return parts.Count == 0 ? null : string.Join(" | ", parts);
    }

    private static string List(IReadOnlyList<string> first, int total) =>
        string.Join(", ", first.Take(10)) + (total > 10 ? $", … ({total - 10} more)" : string.Empty);

    /// <summary>Names come from uploads and the registry: no control characters reach the terminal.</summary>
    private static string TerminalSafe(string line) => Storage.LogSafe.Of(line, int.MaxValue);

    /// <summary>
    /// Inventory and products come from the status row (the latest accepted inventory); with --as-of in the past,
    /// only milestones are as of that date, and an agency whose first inventory came later shows as missing.
    /// </summary>
    private static StatusRow Row(Agency agency, AgencyStatusEntity? status, HostDiff? diff, AgencyMilestones milestones, DateTimeOffset asOf)
    {
        var received = status?.FirstInventoryAt is { } first && first <= asOf ? first : (DateTimeOffset?)null;
        var hosts = received is null ? null : diff;
        return new StatusRow(
            agency.Id,
            agency.Name,
            received,
            received is null ? null : status!.LatestEndpointsAffected,
            received is null ? [] : JsonSerializer.Deserialize<List<ProductCount>>(status!.LatestProductsJson, InventoryJson.Options) ?? [],
            milestones.States.Select(m => new MilestoneRow(m.Milestone, m.Period, m.DueDate, m.StateLabel, m.MetAt, m.Late, m.Describe())).ToArray(),
            milestones.RemovalCompletedAt,
            hosts?.Coverage.Kind,
            hosts?.Coverage.HostsLacking ?? 0,
            hosts?.Coverage.HostsLackingFirst ?? [],
            hosts?.Carrying,
            hosts?.CarryingFirst ?? []);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";

    internal sealed record StatusRow(
        string Agency, string Name, DateTimeOffset? InventoryReceivedAt, long? EndpointsAffected, IReadOnlyList<ProductCount> Products,
        IReadOnlyList<MilestoneRow> Milestones, DateTimeOffset? RemovalCompletedAt,
        string? Coverage, int HostsLackingCount, IReadOnlyList<string> HostsLacking, int? HostsCarryingCount, IReadOnlyList<string> HostsCarrying);

    internal sealed record MilestoneRow(
        string Milestone, int Period, DateOnly DueDate, string State, DateTimeOffset? MetAt, bool Late,
        [property: System.Text.Json.Serialization.JsonIgnore] string Describe);
}
