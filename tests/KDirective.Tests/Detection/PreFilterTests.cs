using System.Text;
using KDirective.Detection;
using KDirective.Inventory;
using KDirective.Tests.Inventory;

namespace KDirective.Tests.Detection;

/// <summary>
/// The byte pre-filter (<see cref="ProductMatcher.MayMatch(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>) decides which
/// rows the reader turns into strings for the matcher. It must let through every row the matcher would call banned
/// (a row it stops is a row nobody sees), and it must stop other vendors' rows, or it saves nothing.
/// </summary>
public sealed class PreFilterTests
{
    /// <summary>Rows the matcher calls banned whose text puts the tell-tale part somewhere the pre-filter must look.</summary>
    public static TheoryData<string, string, string> BannedRows() => new()
    {
        // A package name after punctuation: the first token starts past it.
        { "", "(kvrt)", "Kaspersky Virus Removal Tool" },
        { "", "--klnagent64", "Kaspersky Security Center Network Agent" },
        // The brand after another word that holds the brand's first letter.
        { "Example Corp", "Desktop Kaspersky Agent", "Desktop Kaspersky Agent" },
        // The brand right after a doubled first letter: the search for the next candidate starts one byte on.
        { "Example Corp", "kkaspersky Kaspersky Agent", "kkaspersky Kaspersky Agent" },
        // The brand only in the publisher.
        { "AO Kaspersky Lab", "Secure Connection", "Kaspersky VPN Secure Connection" },
    };

    [Theory]
    [MemberData(nameof(BannedRows))]
    public void BannedRow_PassesThePreFilter_AndIsFoundByTheReader(string publisher, string name, string product)
    {
        Assert.Equal(product, ProductMatcher.Default.Match(publisher, name));
        Assert.True(ProductMatcher.Default.MayMatch(Encoding.UTF8.GetBytes(publisher), Encoding.UTF8.GetBytes(name)), "the pre-filter stopped a banned row");

        var report = Read.Text($"Hostname,Publisher,Product,Version\nPC-1,\"{publisher}\",\"{name}\",1.0\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal([product], report.Findings.Select(f => f.Product));
    }

    [Fact]
    public void EveryCorpusRowTheMatcherCallsBanned_PassesThePreFilter()
    {
        var banned = 0;
        foreach (var row in CorpusTests.SharedCases().Concat(CorpusTests.OwnCases()))
        {
            var (publisher, name) = ((string)row[1], (string)row[2]);
            if (ProductMatcher.Default.Match(publisher, name) is not null)
            {
                banned++;
                Assert.True(ProductMatcher.Default.MayMatch(Encoding.UTF8.GetBytes(publisher), Encoding.UTF8.GetBytes(name)), $"'{publisher}' / '{name}' was stopped");
            }
        }

        Assert.True(banned >= 30, $"only {banned} banned rows in the corpus");
    }

    /// <summary>Other vendors' rows, chosen to hold the letters the pre-filter looks for first.</summary>
    [Theory]
    [InlineData("", "")]
    [InlineData("Microsoft Corporation", "Microsoft Edge")]
    [InlineData("Oracle", "Desktop Kit")] // the brand's first letter, twice, with no brand after it
    [InlineData("Oracle", "Keynote Viewer")] // a first token that starts like a package name but is not one
    [InlineData("KVRT Labs", "Editor")] // a package name as the publisher: package names count only in the product name
    [InlineData("Kasparov Software", "Kasparov Chessmate")]
    public void OtherVendorsRow_IsStoppedByThePreFilter(string publisher, string name)
    {
        Assert.Null(ProductMatcher.Default.Match(publisher, name));
        Assert.False(ProductMatcher.Default.MayMatch(Encoding.UTF8.GetBytes(publisher), Encoding.UTF8.GetBytes(name)));
    }

    [Fact]
    public void CustomCatalog_PackageMatchedByPrefix_IsFoundThroughThePreFilter()
    {
        // "kes*" is documented to match any token that starts with kes; the pre-filter used to want the token exactly.
        var matcher = Matcher("brand\tacme*\npackage\tkes*\tAcme Endpoint\n");

        Assert.Equal("Acme Endpoint", matcher.Match("", "kesl 12"));
        Assert.True(matcher.MayMatch(""u8, "kesl 12"u8));
        Assert.Equal("Acme Endpoint", matcher.Match("", "kes"));
        Assert.True(matcher.MayMatch(""u8, "kes"u8)); // the prefix alone is a match too
        Assert.Null(matcher.Match("", "ke 12"));
        Assert.False(matcher.MayMatch(""u8, "ke 12"u8));

        var report = ReadWith(matcher, "Hostname,Publisher,Product,Version\nPC-1,,kesl 12,12\nPC-2,,kest,1\nPC-3,,ke,1\n");
        Assert.Equal([("Acme Endpoint", 2L)], report.Findings.Select(f => (f.Product, f.Endpoints)));
    }

    [Fact]
    public void CustomCatalog_LongPackageName_IsFoundThroughThePreFilter()
    {
        // The pre-filter used to give up on a first token longer than 64 characters, so such a package was never found.
        var package = new string('k', 64) + "agent";
        var matcher = Matcher($"brand\tacme*\npackage\t{package}\tAcme Agent\n");

        Assert.Equal("Acme Agent", matcher.Match("", package));
        Assert.True(matcher.MayMatch(""u8, Encoding.ASCII.GetBytes(package)));
        Assert.False(matcher.MayMatch(""u8, Encoding.ASCII.GetBytes(package + "x")));
        Assert.Equal(["Acme Agent"], ReadWith(matcher, $"Hostname,Publisher,Product,Version\nPC-1,,{package},1\n").Findings.Select(f => f.Product));
    }

    [Fact]
    public void CustomCatalog_PackageWithASecondPhrase_NeedsBoth()
    {
        // "a & b needs both phrases" (catalog.tsv): a package name starts with the first and holds the second anywhere.
        var matcher = Matcher("brand\tzeta*\npackage\tacmed & gui\tZeta Console\n");

        Assert.Equal("Zeta Console", matcher.Match("", "acmed-tools gui"));
        Assert.Null(matcher.Match("", "acmed-tools"));
        Assert.Null(matcher.Match("", "gui acmed"));
    }

    [Fact]
    public void CustomCatalog_PackageNameOutsideAscii_IsFoundThroughThePreFilter()
    {
        // The next ban may name packages in another script. The byte pre-filter compares ASCII package names as bytes;
        // one outside ASCII has no such bytes (ASCII encoding would make it question marks) and must not stop the row.
        var matcher = Matcher("brand\tzeta*\npackage\tзетагент*\tZeta Agent\n");

        Assert.Equal("Zeta Agent", matcher.Match("", "Зетагент 2"));
        Assert.True(matcher.MayMatch(""u8, Encoding.UTF8.GetBytes("Зетагент 2")));
        Assert.Equal(["Zeta Agent"], ReadWith(matcher, "Hostname,Publisher,Product,Version\nPC-1,,Зетагент 2,2\nPC-2,,????????,1\n").Findings.Select(f => f.Product));
    }

    [Fact]
    public void CustomCatalog_WithNoBrandRow_IsRefusedWithItsName()
    {
        var e = Assert.Throws<FormatException>(() => ProductCatalog.Parse(new StringReader("package\tkes*\tAcme Endpoint\n"), "next-ban.tsv"));

        Assert.Equal("next-ban.tsv: no 'brand' row; a catalog needs at least one.", e.Message);
    }

    [Fact]
    public void CustomCatalog_RowSeparatedBySpaces_IsRefusedWithItsLine()
    {
        var e = Assert.Throws<FormatException>(() => ProductCatalog.Parse(new StringReader("# next ban\nbrand\tacme*\npackage    kes*    Acme Endpoint\n"), "next-ban.tsv"));

        Assert.Equal("next-ban.tsv line 3: expected 'kind<TAB>pattern[<TAB>canonical product]' (is the separator a tab?).", e.Message);
    }

    private static ProductMatcher Matcher(string catalog) => new(ProductCatalog.Parse(new StringReader(catalog)));

    private static InventoryReport ReadWith(ProductMatcher matcher, string text)
    {
        var path = Paths.TempFile();
        File.WriteAllText(path, text);
        try
        {
            var report = new InventoryReader(matcher).ReadAsync(new FileInventorySource(path), keepMatches: true).GetAwaiter().GetResult();
            Assert.True(report.Accepted, report.Error);
            return report;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
