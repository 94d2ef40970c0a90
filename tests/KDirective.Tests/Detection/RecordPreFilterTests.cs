using System.Text;
using KDirective.Detection;
using KDirective.Inventory;
using KDirective.Tests.Directives;

namespace KDirective.Tests.Detection;

/// <summary>
/// The record-level pre-filter (<see cref="ProductMatcher.MayMatchRecord"/>) rules a printable-ASCII row out in one
/// pass before its fields are looked at. A row it rules out must be one the field pre-filter would stop for every
/// pair of its fields, whatever the catalog; otherwise a banned row goes unseen.
/// </summary>
public sealed class RecordPreFilterTests
{
    private static readonly string[] Words =
    [
        "Kaspersky", "kaspersky", "KASPERSKY", "kasp", "Lab", "AO", "kvrt", "(kvrt)", "klnagent64", "kes", "kesl", "Desktop",
        "Microsoft", "Edge", "Google", "Chrome", "Zoom", "VMware", "Tools", "tiktok", "TikTok", "bytedance", "capcut",
        "com", "ss", "android", "ugc", "trill", "lemon8", "Lemon8", "zhiliaoapp", "Casper", "Admin", "Notepad++", "7-Zip",
        "x64", "(64-bit)", "-", "12.1", "PC-001", "WS000123", "agency.example.gov",
    ];

    public static TheoryData<string> Catalogs() => new() { "built-in", "m-23-13" };

    [Theory]
    [MemberData(nameof(Catalogs))]
    public void ARecordRuledOut_HasNoPairOfFieldsTheFieldPreFilterLetsThrough(string catalog)
    {
        var matcher = catalog == "built-in" ? ProductMatcher.Default : new ProductMatcher(CatalogSource.LoadFile(M2313.Catalog));
        var random = new Random(1701);
        var ruledOut = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var fields = Enumerable.Range(0, 4).Select(_ => Field(random)).ToArray();
            var record = Encoding.ASCII.GetBytes(string.Join(',', fields));
            if (matcher.MayMatchRecord(record))
            {
                continue;
            }

            ruledOut++;
            foreach (var publisher in fields)
            {
                foreach (var name in fields)
                {
                    Assert.False(matcher.MayMatch(Encoding.ASCII.GetBytes(publisher), Encoding.ASCII.GetBytes(name)), $"'{publisher}' / '{name}' in a record ruled out");
                    Assert.Null(matcher.Match(publisher, name));
                }
            }
        }

        Assert.True(ruledOut >= 10, $"only {ruledOut} records ruled out"); // both outcomes were exercised
    }

    [Fact]
    public async Task ACatalogWhosePackagesBeginWithOtherLetters_StillFindsThemThroughTheRecordFilter()
    {
        var matcher = new ProductMatcher(CatalogSource.LoadFile(M2313.Catalog));
        var path = Paths.TempFile();
        await File.WriteAllTextAsync(path, "Hostname,Publisher,Product,Version\nPC-1,,capcut,1\nPC-2,,com ss android ugc trill,2\nPC-3,,lemon8,3\nPC-4,Microsoft,Edge,1\n");

        var report = await new InventoryReader(matcher).ReadAsync(new FileInventorySource(path));

        Assert.Equal(["CapCut", "Lemon8", "TikTok"], report.Findings.Select(f => f.Product).Order(StringComparer.Ordinal));
        File.Delete(path);
    }

    [Fact]
    public async Task ARowWithATabOrCyrillic_IsNotRuledOutByTheRecordFilter()
    {
        var path = Paths.TempFile();
        await File.WriteAllTextAsync(path, "Hostname,Publisher,Product,Version\nPC-1,Лаборатория Касперского,Антивирус Касперского,1\nPC-2,\tAO Kaspersky Lab,Kaspersky\tFree,2\n");

        var report = await new InventoryReader().ReadAsync(new FileInventorySource(path));

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(2, report.EndpointsAffected);
        File.Delete(path);
    }

    private static string Field(Random random)
    {
        var words = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Words[random.Next(Words.Length)]);
        var separator = random.Next(3) switch { 0 => " ", 1 => ".", _ => "_" };
        return string.Join(separator, words);
    }
}
