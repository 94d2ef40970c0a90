using System.Text.Json;
using KDirective.Ingestion;
using KDirective.Inventory;

namespace KDirective.Directive;

/// <summary>An agency's accepted submissions as of a moment: what the milestone rules look at.</summary>
public sealed record AgencyHistory(IReadOnlyList<InventoryFact> Inventories, IReadOnlyList<DateTimeOffset> Plans)
{
    public static AgencyHistory From(IEnumerable<SubmissionEntity> submissions, DateTimeOffset asOf)
    {
        var accepted = submissions.Where(s => s.IsAccepted && s.State == SubmissionEntity.Complete && s.ReceivedAt <= asOf).ToArray();
        return new AgencyHistory(
            accepted.Where(s => s.Kind == SubmissionKinds.Inventory)
                .Order(SubmissionOrder.Comparer)
                .Select(s => new InventoryFact(s.ReceivedAt, HasFindings(s), AffectedEndpoints(s), s.Coverage == CoverageKinds.Partial))
                .ToArray(),
            accepted.Where(s => s.Kind == SubmissionKinds.Plan).Select(s => s.ReceivedAt).Order().ToArray());
    }

    /// <summary>The latest inventory shows banned products (no inventory yet counts as not known to be clean).</summary>
    public bool LatestHasFindings => Inventories.Count == 0 || Inventories[^1].HasFindings;

    private static bool HasFindings(SubmissionEntity s) => s.EndpointsAffected is > 0 || s.FindingsJson is not ("[]" or "");

    /// <summary>Distinct affected hosts; for an aggregated export, the largest product count (as the status shows it).</summary>
    private static long AffectedEndpoints(SubmissionEntity s) =>
        s.EndpointsAffected ?? (JsonSerializer.Deserialize<List<InventoryJson.FindingDto>>(s.FindingsJson, InventoryJson.Options) ?? []).Select(f => f.Endpoints).DefaultIfEmpty(0).Max();
}

/// <param name="ReceivedAt">When the inventory arrived.</param>
/// <param name="HasFindings">It shows banned products.</param>
/// <param name="AffectedEndpoints">How many endpoints carry them; null when not known.</param>
/// <param name="PartialCoverage">It lacks hosts that carried the product, or most of the fleet: it cannot close removal or show progress.</param>
public sealed record InventoryFact(DateTimeOffset ReceivedAt, bool HasFindings, long? AffectedEndpoints = null, bool PartialCoverage = false);
