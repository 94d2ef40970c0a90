using KDirective.Agencies;
using KDirective.Tests.Cli;
using KDirective.Tests.Storage;

namespace KDirective.Tests.Agencies;

public class AgencyCsvTests
{
    [Fact]
    public async Task Read_SampleAgencies_AreAllValid()
    {
        await using var stream = File.OpenRead(Path.Combine(Paths.Samples, "agencies.csv"));

        var result = await AgencyCsv.ReadAsync(stream);

        Assert.Empty(result.Rejections);
        Assert.Equal(12, result.Agencies.Count);
        var doc = result.Agencies.Single(a => a.Id == "doc");
        Assert.Equal(["ciso@doc.example.gov", "soc@doc.example.gov"], doc.ContactEmails);
        Assert.Equal(["cio@doc.example.gov"], doc.EscalationEmails);
    }

    [Theory]
    [InlineData("a@x.example.gov\u202E")]
    [InlineData("a\u200B@x.example.gov")]
    [InlineData("a@x.example.gov\u0007")]
    public async Task Read_AddressWithAControlOrFormatCharacter_IsRefused(string address)
    {
        var text = $"AgencyId,Name,ContactEmails,EscalationEmails\nok,Fine Agency,a@ok.example.gov,\nbad,Bad Agency,\"{address}\",\n";

        var result = await AgencyCsv.ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));

        Assert.Equal(["ok"], result.Agencies.Select(a => a.Id));
        var rejection = Assert.Single(result.Rejections);
        Assert.Contains("control or invisible formatting character", rejection.Reason);
        Assert.DoesNotContain(address, rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_InvalidRows_AreReportedWithTheirLineAndSkipped()
    {
        var text = "AgencyId,Name,ContactEmails,EscalationEmails\n" +
                   "ok,Fine Agency,a@ok.example.gov,\n" +
                   "Bad_Id,Bad,a@x.example.gov,\n" +
                   "x,Too Short,a@x.example.gov,\n" +
                   "noname,,a@x.example.gov,\n" +
                   "nomail,No Mail,,\n" +
                   "badmail,Bad Mail,\"Someone <a@x.gov>\",\n" +
                   "ok,Duplicate,a@ok.example.gov,\n" +
                   "esc,Bad Escalation,a@x.example.gov,not-an-email\n";

        var result = await AgencyCsv.ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));

        Assert.Equal(["ok"], result.Agencies.Select(a => a.Id));
        Assert.Equal([3L, 4L, 5L, 6L, 7L, 8L, 9L], result.Rejections.Select(r => r.Line));
        Assert.Contains("lowercase", result.Rejections[0].Reason);
        Assert.Contains("appears twice", result.Rejections[5].Reason);
        Assert.Contains("not-an-email", result.Rejections[6].Reason);
    }

    [Theory]
    [InlineData("doc", true)]
    [InlineData("dhs-cisa", true)]
    [InlineData("a", false)]
    [InlineData("-doc", false)]
    [InlineData("DOC", false)]
    [InlineData("doc/../x", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", false)]
    public void IsValidId_FollowsTheRule(string id, bool valid) => Assert.Equal(valid, Agency.IsValidId(id));
}

[Collection(AzuriteCollection.Name)]
public class AgencyCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ImportThenList_ShowsTheAgencies()
    {
        var (code, output, _) = await InspectCommandTests.Run("agencies", "import", Path.Combine(Paths.Samples, "agencies.csv"), "--storage", azurite.ConnectionString);
        Assert.Equal(0, code);
        Assert.Contains("12 agencies imported, 0 rows skipped", output);

        (code, output, _) = await InspectCommandTests.Run("agencies", "list", "--json", "--storage", azurite.ConnectionString);

        Assert.Equal(0, code);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var nasa = json.RootElement.EnumerateArray().Single(a => a.GetProperty("agency").GetString() == "nasa");
        Assert.Equal("National Aeronautics and Space Administration", nasa.GetProperty("name").GetString());
    }

    [Fact]
    public async Task List_Text_ReplacesControlCharactersInNamesAndAddresses()
    {
        await new AgencyRegistry(azurite.Connect()).UpsertAsync(
            [new Agency("ctl-test", "Evil\u001B[2J Agency\u202E", ["a@ctl.example.gov"], [])]);

        var (code, output, _) = await InspectCommandTests.Run("agencies", "list", "--storage", azurite.ConnectionString);

        Assert.Equal(0, code);
        Assert.Contains("ctl-test", output);
        Assert.DoesNotContain("\u001B", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", output, StringComparison.Ordinal);
    }
}
