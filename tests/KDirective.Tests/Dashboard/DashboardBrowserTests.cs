using System.Text.Json;
using PuppeteerSharp;

namespace KDirective.Tests.Dashboard;

/// <summary>The dashboard in a real headless Chromium, over the demo data.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task Tiles_ShowTheNumbersOfApiStatus()
    {
        var status = await StatusAsync();
        await using var page = await dashboard.Browser.OpenAsync(dashboard.Url + "/");

        Assert.Equal(status.Length, await TileAsync(page, "agencies"));
        Assert.Equal(status.Count(r => r.GetProperty("inventoryReceivedAt").ValueKind != JsonValueKind.Null), await TileAsync(page, "reported"));
        Assert.Equal(status.Sum(r => r.GetProperty("endpointsAffected").ValueKind == JsonValueKind.Null ? 0 : r.GetProperty("endpointsAffected").GetInt64()), await TileAsync(page, "affected"));
        foreach (var milestone in new[] { "inventory", "plan", "status" })
        {
            var overdue = status.Count(r => r.GetProperty("milestones").EnumerateArray().Any(m => m.GetProperty("milestone").GetString() == milestone && m.GetProperty("state").GetString() == "overdue"));
            Assert.Equal(overdue, await TileAsync(page, $"overdue-{milestone}"));
        }

        Assert.Equal(status.Length, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('tr[data-agency]').length"));
    }

    [Fact]
    public async Task LateFilter_KeepsOnlyAgenciesWithAnOverdueMilestone()
    {
        var status = await StatusAsync();
        var late = status.Where(r => r.GetProperty("milestones").EnumerateArray().Any(m => m.GetProperty("state").GetString() == "overdue"))
            .Select(r => r.GetProperty("agency").GetString()).Order().ToArray();
        await using var page = await dashboard.Browser.OpenAsync(dashboard.Url + "/");

        await page.ClickAsync("#late + label");
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("form.kd-filter button[type=submit]"));

        Assert.Contains("late=1", page.Url, StringComparison.Ordinal);
        var shown = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('tr[data-agency]')].map(r => r.dataset.agency)");
        Assert.NotEmpty(late);
        Assert.True(late.Length < status.Length, "the demo data has agencies that are not late");
        Assert.Equal(late, shown.Order().ToArray());
    }

    [Fact]
    public async Task AgencyLink_DrillsDownToTheAgencyPage()
    {
        await using var page = await dashboard.Browser.OpenAsync(dashboard.Url + "/");

        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("tr[data-agency='doc'] th a"));

        Assert.EndsWith("/agencies/doc", page.Url, StringComparison.Ordinal);
        Assert.Equal("Department of Commerce", await page.EvaluateExpressionAsync<string>("document.querySelector('h1').textContent"));
        var products = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('tr[data-product]')].map(r => r.dataset.product)");
        Assert.Contains("Kaspersky Endpoint Security for Windows", products);
        var text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
        Assert.Contains("Removed (", text, StringComparison.Ordinal);
        Assert.Contains("removal-plan-doc.md", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindingsCsv_DownloadsAsAnAttachmentWithFormulasAsText()
    {
        await using var page = await dashboard.Browser.OpenAsync(dashboard.Url + $"/agencies/{DemoData.HostileId}");
        var href = await page.EvaluateExpressionAsync<string>("document.querySelector('a[download]').href");

        using var response = await dashboard.Http.GetAsync(href);
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.StartsWith("Agency,Hostname,Product,Version,Endpoints,Line", csv, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", false)]
    [InlineData("/agencies/" + DemoData.HostileId, false)]
    [InlineData("/", true)]
    [InlineData("/agencies/" + DemoData.HostileId, true)]
    public async Task MarkupInNamesAndHostnames_ShowsAsTextAndNeverRuns(string path, bool withoutCsp)
    {
        // Without the CSP too: encoding alone must keep the markup inert, the CSP is the second wall.
        await using var page = await dashboard.Browser.OpenAsync(dashboard.Url + path, bypassCsp: withoutCsp);

        var text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
        Assert.Contains(DemoData.HostileName, text, StringComparison.Ordinal);
        if (path != "/")
        {
            Assert.Contains(DemoData.HostileHost, text, StringComparison.Ordinal);
        }

        Assert.Equal("undefined", await page.EvaluateExpressionAsync<string>("typeof window.__pwned"));
        Assert.Equal(0, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('img[src=x], main script').length"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/?late=1&sort=affected&dir=desc")]
    [InlineData("/agencies/doc")]
    [InlineData("/agencies/dhs")]
    [InlineData("/agencies/" + DemoData.HostileId)]
    [InlineData("/agencies/unknown-agency")]
    public async Task Axe_FindsNoAccessibilityViolations(string path)
    {
        // axe is injected as a script, which the CSP would rightly refuse: only this check bypasses it.
        await using var page = await dashboard.Browser.OpenAsync(dashboard.Url + path, bypassCsp: true);
        await page.AddScriptTagAsync(new AddTagOptions { Path = Path.Combine(Paths.Root, "node_modules", "axe-core", "axe.min.js") });

        var violations = await page.EvaluateFunctionAsync<JsonElement>(
            "async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) }))");

        Assert.True(violations.GetArrayLength() == 0, $"{path}: {violations}");
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task Pages_DoNotScrollSideways(int width)
    {
        foreach (var (path, name) in new[] { ("/", "dashboard"), ("/agencies/doc", "dashboard-agency") })
        {
            await using var page = await dashboard.Browser.OpenAsync(dashboard.Url + path, width);

            var overflow = await page.EvaluateExpressionAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");

            Assert.True(overflow <= 0, $"{path} at {width}px scrolls sideways by {overflow}px");
            await page.ScreenshotAsync(Path.Combine(Paths.Root, "docs", $"{name}-{width}.png"), new ScreenshotOptions { FullPage = true });
        }
    }

    private async Task<JsonElement[]> StatusAsync()
    {
        using var json = JsonDocument.Parse(await dashboard.Http.GetStringAsync("/api/status"));
        return json.RootElement.Clone().EnumerateArray().ToArray();
    }

    private static async Task<long> TileAsync(IPage page, string tile) =>
        long.Parse(
            (await page.EvaluateExpressionAsync<string>($"document.querySelector('[data-tile=\"{tile}\"]').textContent")).Replace(",", string.Empty, StringComparison.Ordinal),
            System.Globalization.CultureInfo.InvariantCulture);
}
