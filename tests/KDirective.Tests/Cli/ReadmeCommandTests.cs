using System.Text.Json;
using KDirective.Tests.Ingestion;
using KDirective.Tests.Storage;

namespace KDirective.Tests.Cli;

/// <summary>Command-line promises of the README that no other test pinned down.</summary>
[Collection(AzuriteCollection.Name)]
public class ReadmeCommandTests(AzuriteFixture azurite)
{
    private static async Task<string> WriteAsync(string content)
    {
        var path = Paths.TempFile();
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    [Fact]
    public async Task InspectJson_EscapesAmpersandsAndQuotes()
    {
        var file = await WriteAsync("Hostname,Publisher,Product,Version\nPC-1,AO Kaspersky Lab,\"Kaspersky Anti-Virus \"\"Pro\"\" & Co\",21.3\n");

        var (code, output, _) = await InspectCommandTests.Run("inspect", file, "--json", "--matches");

        Assert.Equal(0, code);
        Assert.Contains(@"Kaspersky Anti-Virus \u0022Pro\u0022 \u0026 Co", output);
        Assert.DoesNotContain("&", output);
        Assert.DoesNotContain("\"Pro", output);
        using var json = JsonDocument.Parse(output); // still valid JSON that decodes to the original text
        Assert.Equal("Kaspersky Anti-Virus \"Pro\" & Co", json.RootElement.GetProperty("matches")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task InspectText_WithMatches_ListsEveryMatchingRow_WithoutItNone()
    {
        var file = await WriteAsync("Hostname,Publisher,Product,Version\nPC-1,AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1\nPC-2,Microsoft Corporation,Microsoft Edge,131\nPC-3,Kaspersky Lab,Kaspersky Anti-Virus,21.3\n");

        var (code, output, _) = await InspectCommandTests.Run("inspect", file, "--matches");
        var (_, plain, _) = await InspectCommandTests.Run("inspect", file);

        Assert.Equal(0, code);
        Assert.Equal(
            ["match:     line 2: PC-1 | AO Kaspersky Lab | Kaspersky Endpoint Security for Windows | 11.1 -> Kaspersky Endpoint Security for Windows",
             "match:     line 4: PC-3 | Kaspersky Lab | Kaspersky Anti-Virus | 21.3 -> Kaspersky Anti-Virus"],
            output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("match:", StringComparison.Ordinal)));
        Assert.DoesNotContain("match:", plain);
    }

    [Fact]
    public async Task Status_AsOf_ShowsTheDirectiveAsItStoodThatDay()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var ingest = await InspectCommandTests.Run("ingest", "--agency", agency.Id, "--received-at", "2017-10-20T15:00:00Z", await WriteAsync(Uploads.Inventory(3)), "--storage", azurite.ConnectionString);
        Assert.True(ingest.Code == 0, ingest.Output + ingest.Error);

        var before = await StatusAsync("2017-10-16");
        var after = await StatusAsync("2017-10-25");

        Assert.Equal(JsonValueKind.Null, before.GetProperty("inventoryReceivedAt").ValueKind);
        Assert.Equal("overdue", Inventory(before).GetProperty("state").GetString());
        Assert.Equal("2017-10-20T15:00:00+00:00", after.GetProperty("inventoryReceivedAt").GetString());
        Assert.NotEqual("overdue", Inventory(after).GetProperty("state").GetString());
        Assert.Equal(3, after.GetProperty("endpointsAffected").GetInt64());

        async Task<JsonElement> StatusAsync(string asOf)
        {
            var (code, output, error) = await InspectCommandTests.Run("status", "--json", "--as-of", asOf, "--storage", azurite.ConnectionString);
            Assert.True(code == 0, error);
            return JsonDocument.Parse(output).RootElement.EnumerateArray().Single(r => r.GetProperty("agency").GetString() == agency.Id).Clone();
        }

        static JsonElement Inventory(JsonElement row) => row.GetProperty("milestones").EnumerateArray().Single(m => m.GetProperty("milestone").GetString() == "inventory");
    }
}
