using System.Text.Json;
using KDirective.Tests.Cli;
using KDirective.Tests.Storage;

namespace KDirective.Tests.Ingestion;

/// <summary><c>status --json</c> streamed row by row, the coverage it shows, and <c>sweep</c> from the terminal.</summary>
[Collection(IsolatedAzuriteCollection.Name)]
public sealed class StatusAndSweepCommandTests(IsolatedAzurite azurite) : IAsyncLifetime
{
    public Task InitializeAsync() => azurite.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task ImportAsync(string csv)
    {
        var agencies = Paths.TempFile();
        await File.WriteAllTextAsync(agencies, "AgencyId,Name,ContactEmails,EscalationEmails\n" + csv);
        Assert.Equal(0, (await InspectCommandTests.Run("agencies", "import", agencies, "--storage", azurite.ConnectionString)).Code);
    }

    private async Task IngestAsync(string agency, string receivedAt, string content)
    {
        var file = Paths.TempFile();
        await File.WriteAllTextAsync(file, content);
        var (code, output, error) = await InspectCommandTests.Run("ingest", "--agency", agency, "--received-at", receivedAt, file, "--storage", azurite.ConnectionString);
        Assert.True(code == 0, output + error);
    }

    [Fact]
    public async Task StatusJson_WithNoAgencies_IsAnEmptyArray()
    {
        var (code, json, _) = await InspectCommandTests.Run("status", "--json", "--storage", azurite.ConnectionString);

        Assert.Equal(0, code);
        Assert.Equal(0, JsonDocument.Parse(json).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Status_ShowsPartialCoverageTheHostsLackedAndTheHostsStillCarrying()
    {
        await ImportAsync("aa,Agency A,a@aa.example.gov,\nbb,Agency B,b@bb.example.gov,\ncc,Agency C,c@cc.example.gov,\n");
        await IngestAsync("aa", "2017-10-02T14:00:00Z", "Hostname,Publisher,Product,Version\nPC-1,AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11\nPC-2,AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11\n");
        await IngestAsync("aa", "2018-01-05T14:00:00Z", "Hostname,Publisher,Product,Version\nPC-1,Microsoft Corporation,Microsoft Edge,41\n");

        var (code, json, _) = await InspectCommandTests.Run("status", "--json", "--as-of", "2018-02-01", "--storage", azurite.ConnectionString);
        var (_, text, _) = await InspectCommandTests.Run("status", "--as-of", "2018-02-01", "--storage", azurite.ConnectionString);

        Assert.Equal(0, code);
        var rows = JsonDocument.Parse(json).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("agency").GetString()!);
        Assert.Equal(["aa", "bb", "cc"], rows.Keys.Order());
        var aa = rows["aa"];
        Assert.Equal(("partial", 1, "PC-2"), (aa.GetProperty("coverage").GetString(), aa.GetProperty("hostsLackingCount").GetInt32(), aa.GetProperty("hostsLacking")[0].GetString()));
        Assert.Equal((1, "PC-2"), (aa.GetProperty("hostsCarryingCount").GetInt32(), aa.GetProperty("hostsCarrying")[0].GetString()));
        Assert.Equal(JsonValueKind.Null, aa.GetProperty("removalCompletedAt").ValueKind);
        Assert.Contains("coverage: partial, lacks 1 host(s): PC-2", text);
        Assert.Contains("implementation due 2017-12-12: NO PROGRESS SHOWN", text);
    }

    [Fact]
    public async Task Sweep_WithNothingStuck_ReportsNothingAndSucceeds()
    {
        var (code, json, _) = await InspectCommandTests.Run("sweep", "--json", "--storage", azurite.ConnectionString);

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(json);
        Assert.Equal((0, 0, 0), (document.RootElement.GetProperty("completed").GetArrayLength(), document.RootElement.GetProperty("removed").GetArrayLength(), document.RootElement.GetProperty("failed").GetArrayLength()));
    }
}
