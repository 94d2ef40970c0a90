using System.Globalization;
using System.Text;
using KDirective.Dashboard;
using KDirective.Dashboard.Pages;
using KDirective.Dashboard.Web;
using KDirective.Directive;
using KDirective.Email;
using KDirective.Reminders;
using Microsoft.Extensions.Options;

namespace KDirective.Digest;

/// <summary>
/// Sends the weekly operator digest to <c>Email:OperatorTo</c>, claimed once per ISO week in the reminders table
/// (partition <see cref="Partition"/>), so a timer firing twice or overlapping runs send it once.
/// </summary>
public sealed class DigestService(
    DashboardService dashboard, Outbound outbound, PageRenderer renderer, DirectiveCalendar calendar,
    IOptions<DigestOptions> digest, IOptions<EmailOptions> email, TimeProvider time)
{
    public const string Partition = "_operators";

    public async Task<DigestResult> RunAsync(DateTimeOffset? asOf = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(email.Value.OperatorTo))
        {
            return new DigestResult(null, ClaimOutcome.AlreadySent, "Email:OperatorTo is empty: no digest");
        }

        var snapshot = await dashboard.SnapshotAsync(DashboardViewer.LocalOperator, asOf ?? time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var week = WeeklyDigest.Build(snapshot, calendar, digest.Value.DashboardUrl);
        var name = calendar.Options.Name;
        var html = await renderer.RenderToStringAsync<DigestHtml>(new() { [nameof(DigestHtml.Digest)] = week, [nameof(DigestHtml.Directive)] = name }).ConfigureAwait(false);
        var message = new EmailMessage(
            $"digest-{week.Week}", [email.Value.OperatorTo], [],
            EmailText.SubjectSafe($"{name}: weekly digest {week.Week} - {week.Overdue.Sum(g => g.Agencies.Count)} overdue, {week.EndpointsRemaining:N0} endpoints remaining"),
            Text(week, name), html, []);
        var sent = await outbound.SendOnceAsync(Partition, message.Key, message, cancellationToken).ConfigureAwait(false);
        return new DigestResult(week, sent.Claim, sent.Send?.Detail);
    }

    private static string Text(WeeklyDigest d, string directive)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{directive} weekly digest, {d.From:yyyy-MM-dd} to {d.To:yyyy-MM-dd}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{d.EndpointsRemaining:N0} affected endpoints remain at {d.AgenciesWithFindings} agencies.");
        text.AppendLine().AppendLine("Overdue:");
        foreach (var g in d.Overdue)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {g.Milestone} ({g.Agencies.Count}): {string.Join("; ", g.Agencies)}");
        }

        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Removals completed this week: {(d.RemovalsCompleted.Count == 0 ? "none" : string.Join("; ", d.RemovalsCompleted))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Rejected uploads this week: {d.Rejected.Count}");
        foreach (var r in d.Rejected)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {r.Agency}: {r.File} ({r.Reason})");
        }

        return text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Dashboard: {d.DashboardUrl}").ToString();
    }
}

public sealed record DigestResult(WeeklyDigest? Digest, ClaimOutcome Claim, string? Detail);
