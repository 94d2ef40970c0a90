using KDirective.Dashboard;
using KDirective.Directive;
using KDirective.Ingestion;

namespace KDirective.Digest;

/// <summary>What the operators read each week: who is overdue, what was removed or rejected, and what remains.</summary>
public sealed record WeeklyDigest(
    string Week,
    DateOnly From,
    DateOnly To,
    IReadOnlyList<OverdueGroup> Overdue,
    IReadOnlyList<string> RemovalsCompleted,
    IReadOnlyList<RejectedUpload> Rejected,
    long EndpointsRemaining,
    int AgenciesWithFindings,
    string DashboardUrl)
{
    /// <summary>The digest of the week (Monday to Sunday, in the directive's zone) that ends before <paramref name="asOf"/>'s week.</summary>
    public static WeeklyDigest Build(StatusSnapshot snapshot, DirectiveCalendar calendar, string dashboardUrl)
    {
        var today = calendar.LocalDate(snapshot.AsOf);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var (from, to) = (monday.AddDays(-7), monday.AddDays(-1));
        bool InWeek(DateTimeOffset t) => calendar.LocalDate(t) is var d && d >= from && d <= to;

        var overdue = MilestoneWords.Kinds
            .Select(k => new OverdueGroup(MilestoneWords.Title(k), snapshot.Agencies
                .Where(a => a.Milestones.States.Any(s => s.Milestone == k && s.State == MilestoneStateKind.Overdue))
                .Select(a => a.Agency.Name).Order(StringComparer.OrdinalIgnoreCase).ToArray()))
            .Where(g => g.Agencies.Count > 0)
            .ToArray();
        return new WeeklyDigest(
            System.Globalization.ISOWeek.GetYear(monday.ToDateTime(TimeOnly.MinValue)) + "-W" + System.Globalization.ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)).ToString("00", System.Globalization.CultureInfo.InvariantCulture),
            from,
            to,
            overdue,
            snapshot.Agencies.Where(a => a.Milestones.RemovalCompletedAt is { } done && InWeek(done)).Select(a => a.Agency.Name).ToArray(),
            snapshot.Agencies.SelectMany(a => a.Submissions.Where(s => s.Outcome == SubmissionOutcomes.Rejected && InWeek(s.ReceivedAt))
                .Select(s => new RejectedUpload(a.Agency.Name, s.BlobName, s.Error ?? "rejected"))).ToArray(),
            snapshot.Agencies.Sum(a => a.Row.EndpointsAffected ?? 0),
            snapshot.Agencies.Count(a => a.Row.EndpointsAffected > 0),
            dashboardUrl);
    }
}

public sealed record OverdueGroup(string Milestone, IReadOnlyList<string> Agencies);

public sealed record RejectedUpload(string Agency, string File, string Reason);
