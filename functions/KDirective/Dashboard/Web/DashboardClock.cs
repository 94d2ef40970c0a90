namespace KDirective.Dashboard.Web;

/// <summary>The moment the dashboard shows: now, or a fixed date (<c>serve --as-of</c>, the demo's simulated day).</summary>
public sealed class DashboardClock(TimeProvider time, DateTimeOffset? fixedAsOf = null)
{
    public DateTimeOffset Now() => fixedAsOf ?? time.GetUtcNow();
}
