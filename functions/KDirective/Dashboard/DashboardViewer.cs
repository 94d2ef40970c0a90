namespace KDirective.Dashboard;

/// <summary>
/// Who is looking, as access control decided it: an operator sees every agency, an agency's uploaders only theirs.
/// </summary>
public sealed record DashboardViewer(string Name, bool IsOperator, IReadOnlySet<string> Agencies)
{
    /// <summary><c>kdirective serve</c>: loopback only, so whoever can reach it already holds the storage credentials.</summary>
    public static DashboardViewer LocalOperator { get; } = new("local operator", true, new HashSet<string>());

    public bool CanSee(string agency) => IsOperator || Agencies.Contains(agency);

    /// <summary>Someone signed in who is neither an operator nor any agency's uploader.</summary>
    public bool SeesNothing => !IsOperator && Agencies.Count == 0;
}
