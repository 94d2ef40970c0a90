using System.Text.Json;
using KDirective.Tests.Cli;
using KDirective.Tests.Storage;

namespace KDirective.Tests.Ingestion;

/// <summary>The local pipeline through the CLI, as the README's main command runs it.</summary>
[Collection(AzuriteCollection.Name)]
public class PipelineCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task IngestSamplesThenStatus_ShowsTheRightNumbers()
    {
        var storage = azurite.ConnectionString;
        Assert.Equal(0, (await InspectCommandTests.Run("agencies", "import", Path.Combine(Paths.Samples, "agencies.csv"), "--storage", storage)).Code);
        foreach (var line in File.ReadLines(Path.Combine(Paths.Samples, "uploads.csv")).Skip(1))
        {
            var cells = line.Split(',');
            string[] kind = cells[1] == "plan" ? ["--plan"] : [];
            var (code, output, error) = await InspectCommandTests.Run(["ingest", "--agency", cells[0], .. kind, "--received-at", cells[2], Path.Combine(Paths.Samples, cells[3]), "--storage", storage]);
            Assert.True(code == 0, $"{line}: {output} {error}");
        }

        var (statusCode, statusJson, _) = await InspectCommandTests.Run("status", "--json", "--storage", storage);

        Assert.Equal(0, statusCode);
        var rows = JsonDocument.Parse(statusJson).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("agency").GetString()!);
        Assert.Equal(["agency", "name", "inventoryReceivedAt", "endpointsAffected", "products", "milestones", "removalCompletedAt", "coverage", "hostsLackingCount", "hostsLacking", "hostsCarryingCount", "hostsCarrying"], rows["doc"].EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, rows["treas"].GetProperty("endpointsAffected").GetInt64()); // its January inventory was clean
        Assert.Equal("2018-01-05T15:00:00+00:00", rows["treas"].GetProperty("removalCompletedAt").GetString());
        Assert.Equal("2017-10-06T14:00:00+00:00", rows["treas"].GetProperty("inventoryReceivedAt").GetString());
        Assert.Equal(4, rows["doc"].GetProperty("endpointsAffected").GetInt64()); // January: 4 field-office endpoints left
        Assert.Equal(("full", 0), (rows["treas"].GetProperty("coverage").GetString(), rows["treas"].GetProperty("hostsCarryingCount").GetInt32()));
        Assert.Equal(0, rows["gsa"].GetProperty("endpointsAffected").GetInt64());
        Assert.Equal(0, rows["gsa"].GetProperty("products").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, rows["hhs"].GetProperty("inventoryReceivedAt").ValueKind);
        Assert.Equal(212, rows["dot"].GetProperty("endpointsAffected").GetInt64()); // aggregated: the largest product count
        Assert.Equal(
            [("Kaspersky Endpoint Security for Windows", 58L), ("Kaspersky Security Center Network Agent", 58L), ("Kaspersky Security Center Administration Console", 3L)],
            rows["state"].GetProperty("products").EnumerateArray().Select(p => (p.GetProperty("product").GetString()!, p.GetProperty("endpoints").GetInt64())));

        var plan = rows["ed"].GetProperty("milestones").EnumerateArray().Single(m => m.GetProperty("milestone").GetString() == "plan");
        Assert.Equal(("2017-11-12", "overdue"), (plan.GetProperty("dueDate").GetString(), plan.GetProperty("state").GetString()));

        var (_, table, _) = await InspectCommandTests.Run("status", "--storage", storage);
        Assert.Matches(@"hhs\s+Department of Health and Human Services\s+MISSING", table);
        Assert.Matches(@"gsa\s+General Services Administration\s+2017-10-02\s+0\s+none found", table);
    }

    [Fact]
    public async Task Ingest_MalformedAgencyId_IsAUsageError()
    {
        var (code, _, error) = await InspectCommandTests.Run("ingest", "--agency", "Not Valid", Paths.Inventory("clean-gsa-mecm.csv"), "--storage", azurite.ConnectionString);

        Assert.Equal(1, code);
        Assert.Contains("not an agency id", error);
    }
}
