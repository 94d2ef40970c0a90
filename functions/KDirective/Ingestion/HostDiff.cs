namespace KDirective.Ingestion;

/// <summary>One host and the banned products it carries (a value: the coverage check holds one per affected host in an array).</summary>
public readonly record struct HostFindings(string Hostname, IReadOnlyList<string> Products);

/// <summary>How one host changed between an agency's previous accepted inventory and this one.</summary>
public sealed record HostChange(string Hostname, string Change, IReadOnlyList<string> Products)
{
    /// <summary>The host is still known to carry the product: found again, found for the first time, or not reported.</summary>
    public bool Carrying => Change is not HostChangeKinds.Removed;

    /// <summary>The order a diff's hosts are stored in: hostname with case ignored, then ordinal, so it is the same whatever the input's order.</summary>
    public static IComparer<HostChange> ByHostname { get; } = Comparer<HostChange>.Create(static (a, b) => CoverageRule.CompareHostnames(a.Hostname, b.Hostname));
}

public static class HostChangeKinds
{
    /// <summary>Carried the product before; listed in this inventory without it.</summary>
    public const string Removed = "removed";

    /// <summary>Carried the product before and still does.</summary>
    public const string Remaining = "remaining";

    /// <summary>Carries the product and did not before.</summary>
    public const string New = "new";

    /// <summary>Carried the product before and is not in this inventory: it still counts as carrying it.</summary>
    public const string Unreported = "unreported";
}

/// <summary>
/// An accepted inventory compared with the agency's previous one, host by host, and whether it covers enough to close
/// removal. <see cref="Hosts"/> is empty when only the summary was read.
/// </summary>
public sealed record HostDiff(
    string Agency,
    string SubmissionId,
    string BlobName,
    DateTimeOffset ReceivedAt,
    string? PreviousSubmissionId,
    InventoryCoverage Coverage,
    int Removed,
    int Remaining,
    int New,
    int Unreported,
    IReadOnlyList<string> CarryingFirst,
    IReadOnlyList<HostChange> Hosts)
{
    /// <summary>Hosts known to carry the product after this inventory.</summary>
    public int Carrying => Remaining + New + Unreported;
}

/// <summary>
/// Whether an inventory covers the agency's estate: <see cref="CoverageKinds.Full"/>, or <see cref="CoverageKinds.Partial"/>
/// with the hosts it lacks (the first <see cref="CoverageRule.HostsListed"/>) or, for an aggregated export, its fleet
/// size against the reference.
/// </summary>
public sealed record InventoryCoverage(string Kind, int HostsLacking, IReadOnlyList<string> HostsLackingFirst, long? FleetSize, long? ReferenceFleetSize);
