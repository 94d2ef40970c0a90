using KDirective.Ingestion;

namespace KDirective.Directive;

/// <summary>An agency's accepted submissions as of a moment: what the milestone rules look at.</summary>
public sealed record AgencyHistory(IReadOnlyList<InventoryFact> Inventories, IReadOnlyList<DateTimeOffset> Plans)
{
    public static AgencyHistory From(IEnumerable<SubmissionEntity> submissions, DateTimeOffset asOf)
    {
        var accepted = submissions.Where(s => s.IsAccepted && s.State == SubmissionEntity.Complete && s.ReceivedAt <= asOf).ToArray();
        return new AgencyHistory(
            accepted.Where(s => s.Kind == SubmissionKinds.Inventory)
                .OrderBy(s => s.ReceivedAt).ThenBy(s => s.BlobName, StringComparer.Ordinal)
                .Select(s => new InventoryFact(s.ReceivedAt, HasFindings(s)))
                .ToArray(),
            accepted.Where(s => s.Kind == SubmissionKinds.Plan).Select(s => s.ReceivedAt).Order().ToArray());
    }

    /// <summary>The latest inventory shows banned products (no inventory yet counts as not known to be clean).</summary>
    public bool LatestHasFindings => Inventories.Count == 0 || Inventories[^1].HasFindings;

    private static bool HasFindings(SubmissionEntity s) => s.EndpointsAffected is > 0 || s.FindingsJson is not ("[]" or "");
}

public sealed record InventoryFact(DateTimeOffset ReceivedAt, bool HasFindings);
