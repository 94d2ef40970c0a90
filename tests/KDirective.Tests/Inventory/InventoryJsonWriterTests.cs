using System.Text.Json;
using KDirective.Inventory;

namespace KDirective.Tests.Inventory;

/// <summary>
/// The hand-written writer of <c>inspect --json</c> must stay byte for byte what the serializer writes with the
/// document's options: other tools read that document, and the serializer is the reference.
/// </summary>
public sealed class InventoryJsonWriterTests
{
    public static TheoryData<string> Samples() =>
        [.. Directory.GetFiles(Path.Combine(Paths.Samples, "inventories")).Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Writer_WritesWhatTheSerializerWrites_ForEverySample(string sample)
    {
        var report = await new InventoryReader().ReadAsync(new FileInventorySource(Paths.Inventory(sample)), keepMatches: true);

        AssertSame(report);
        Assert.All(report.Matches, AssertSameMatch);
    }

    [Fact]
    public void Writer_WritesWhatTheSerializerWrites_ForHostileValuesRejectionsAndPossibleFindings()
    {
        var report = Read.Text(
            "Hostname,Publisher,Product,Version\n" +
            "<script>alert(1)</script>,\"AO \"\"Kaspersky & Lab\"\"\",Kaspersky Endpoint Security,11.0 'x'\n" +
            "пк-01,АО Лаборатория Касперского,Kaspersky Endpoint Security для Windows,12\n" +
            "pc-02,Microsoft,\"Office\n" +
            "pc-03,Kaspersky,Kaspersky Security Center Network Agent\u2028,1\n" +
            "pc-04,Kaspersky,,1\n");
        Assert.NotEmpty(report.Rejections);
        Assert.NotEmpty(report.PossibleFindings);
        Assert.NotEmpty(report.Findings);
        Assert.NotEmpty(report.Matches);

        AssertSame(report);
        Assert.All(report.Matches, AssertSameMatch);
    }

    [Fact]
    public void Writer_WritesNullsAsTheSerializerDoes_ForARejectedFile()
    {
        var report = Read.Text(string.Empty);
        Assert.False(report.Accepted);
        Assert.Null(report.Format);

        AssertSame(report);
    }

    [Fact]
    public void Writer_WritesNullCounts_ForAnAggregatedExport()
    {
        var report = new InventoryReport(
            "f.csv", "kdirective", "UTF-8", ",", true, null, 2, 0, [], null, null,
            [new ProductFinding("Kaspersky Endpoint Security", 40, ["11", "12"], Obfuscated: true)], [])
        {
            PossibleFindings = [new PossibleFinding(3, "Kaspersky Endpoint Security", "\"Kaspersky & <b>\"")],
            PossibleFindingCount = 7,
        };

        AssertSame(report);
    }

    private static void AssertSame(InventoryReport report) =>
        Assert.Equal(JsonSerializer.Serialize(InventoryJson.ToDocument(report, includeMatches: false), InventoryJson.Options), InventoryJsonWriter.Serialize(report));

    private static void AssertSameMatch(InventoryMatch match) =>
        Assert.Equal(JsonSerializer.Serialize(InventoryJson.ToDto(match), InventoryJson.CompactOptions), InventoryJsonWriter.SerializeMatch(match));
}
