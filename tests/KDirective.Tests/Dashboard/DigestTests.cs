using KDirective.Digest;
using KDirective.Reminders;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Dashboard;

/// <summary>The weekly operator digest over the demo data, written to a fresh outbox (no SendGrid key).</summary>
[Collection(DashboardCollection.Name)]
public sealed class DigestTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task Digest_IsSentOncePerWeekWithOverdueAgenciesRejectionsAndRemainingEndpoints()
    {
        await using var app = dashboard.Build(0, s => s.AddSingleton<KDirective.Dashboard.Web.IDashboardAuthenticator, KDirective.Dashboard.Web.LocalOperatorAuthenticator>(), new Dictionary<string, string?> { ["Email:OperatorTo"] = "operators@dhs.example.gov" });
        var service = app.Services.GetRequiredService<DigestService>();
        var monday = new DateTimeOffset(2018, 1, 15, 17, 0, 0, TimeSpan.Zero);

        var first = await service.RunAsync(monday);
        var again = await service.RunAsync(monday.AddHours(3));

        Assert.Equal(ClaimOutcome.Claimed, first.Claim);
        Assert.Equal(ClaimOutcome.AlreadySent, again.Claim);
        Assert.Equal("2018-W03", first.Digest!.Week); // the week it is sent in; it covers the week before
        Assert.Contains(first.Digest.Overdue, g => g.Milestone == "Inventory" && g.Agencies.Count == 1);
        Assert.True(first.Digest.EndpointsRemaining > 0);
    }

    [Fact]
    public async Task DigestHtml_EncodesAgencyNames()
    {
        await using var app = dashboard.Build(0, s => s.AddSingleton<KDirective.Dashboard.Web.IDashboardAuthenticator, KDirective.Dashboard.Web.LocalOperatorAuthenticator>());
        var renderer = app.Services.GetRequiredService<KDirective.Dashboard.Web.PageRenderer>();
        var digest = new WeeklyDigest("2018-W01", new DateOnly(2018, 1, 1), new DateOnly(2018, 1, 7),
            [new OverdueGroup("Inventory", [DemoData.HostileName])], [], [new RejectedUpload(DemoData.HostileName, "<b>f.csv</b>", "bad")], 5, 1, "https://dashboard.example.gov/");

        var html = await renderer.RenderToStringAsync<KDirective.Dashboard.Pages.DigestHtml>(new() { ["Digest"] = digest, ["Directive"] = "BOD 17-01" });

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;f.csv&lt;/b&gt;", html, StringComparison.Ordinal);
    }
}
