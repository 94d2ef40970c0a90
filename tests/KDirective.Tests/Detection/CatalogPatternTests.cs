using KDirective.Detection;

namespace KDirective.Tests.Detection;

/// <summary>
/// The pattern column of a catalog row: alternatives (<c>|</c>) of conjunctions (<c>&amp;</c>) of phrases. A row
/// whose pattern could match nothing, or whose alternative asks for nothing, is a mistake the operator must see.
/// </summary>
public class CatalogPatternTests
{
    [Theory]
    [InlineData("product\t\tAcme Rocket")]
    [InlineData("product\t   \tAcme Rocket")]
    [InlineData("product\t|\tAcme Rocket")]
    [InlineData("product\t | | \tAcme Rocket")]
    [InlineData("product\t&\tAcme Rocket")]
    [InlineData("product\trocket|&\tAcme Rocket")]
    [InlineData("product\t& | rocket\tAcme Rocket")]
    [InlineData("product\trocket | & & | comet\tAcme Rocket")]
    public void Catalog_RejectsAPatternOrAlternativeThatAsksForNothing_NamingTheLine(string row)
    {
        var text = "brand\tacme\n# products\n" + row + "\n";

        var error = Assert.Throws<FormatException>(() => ProductCatalog.Parse(new StringReader(text), "custom.tsv"));

        Assert.StartsWith("custom.tsv line 3: Empty catalog pattern", error.Message);
    }

    [Fact]
    public void Catalog_EmptyAlternativesBetweenBars_AreSkipped_TheOthersStillMatch()
    {
        var matcher = Matcher("product\trocket||comet|\tAcme Launcher");

        Assert.Equal("Acme Launcher", matcher.Match("Acme", "Acme Rocket 3"));
        Assert.Equal("Acme Launcher", matcher.Match("Acme", "Acme Comet"));
        Assert.Equal("Acme Other", matcher.Match("Acme", "Acme Other"));
    }

    [Fact]
    public void Pattern_Conjunction_NeedsEveryPart_InAnyOrder()
    {
        var matcher = Matcher("product\tsecurity & center\tAcme Security Center");

        Assert.Equal("Acme Security Center", matcher.Match("Acme", "Acme Center of Security"));
        Assert.Equal("Acme Security", matcher.Match("Acme", "Acme Security"));
    }

    [Fact]
    public void Pattern_Phrase_NeedsItsTokensSideBySide()
    {
        var matcher = Matcher("product\tnetwork agent\tAcme Network Agent");

        Assert.Equal("Acme Network Agent", matcher.Match("Acme", "Acme Network Agent 14"));
        Assert.Equal("Acme Network Update Agent", matcher.Match("Acme", "Acme Network Update Agent"));
    }

    [Fact]
    public void Pattern_StarToken_MatchesByPrefix_OtherTokensOnlyWhole()
    {
        var matcher = Matcher("product\tsecur*\tAcme Security\nproduct\tvpn\tAcme VPN");

        Assert.Equal("Acme Security", matcher.Match("Acme", "Acme Secure Connection"));
        Assert.Equal("Acme VPN", matcher.Match("Acme", "Acme VPN"));
        Assert.Equal("Acme VPNs", matcher.Match("Acme", "Acme VPNs"));
    }

    [Fact]
    public void Package_MatchesOnlyAtTheStartOfTheName()
    {
        var matcher = Matcher("package\tacmed\tAcme Daemon");

        Assert.Equal("Acme Daemon", matcher.Match(null, "acmed 2.1"));
        Assert.Null(matcher.Match(null, "tools acmed"));
    }

    [Fact]
    public void Catalog_DoubledAmpersand_ReadsAsOne_LikeDoubledBars()
    {
        var matcher = Matcher("product\tsecurity && center\tAcme Security Center");

        Assert.Equal("Acme Security Center", matcher.Match("Acme", "Acme Center of Security"));
        Assert.Equal("Acme Security", matcher.Match("Acme", "Acme Security"));
    }

    [Fact]
    public void Package_AnyAlternativeMayStartTheName()
    {
        var matcher = Matcher("package\tacmed | acmectl\tAcme Daemon");

        Assert.Equal("Acme Daemon", matcher.Match(null, "acmed 2.1"));
        Assert.Equal("Acme Daemon", matcher.Match(null, "acmectl 2.1"));
        Assert.Null(matcher.Match(null, "tools acmectl"));
    }

    [Fact]
    public void Package_ALaterPhrase_MayBeTheFirstTokenToo()
    {
        // "acm* & acmed": the name's first token both starts the package and is its other phrase.
        var matcher = Matcher("package\tacm* & acmed\tAcme Daemon");

        Assert.Equal("Acme Daemon", matcher.Match(null, "acmed"));
        Assert.Null(matcher.Match(null, "acmex"));
    }

    private static ProductMatcher Matcher(string rows) =>
        new(ProductCatalog.Parse(new StringReader("brand\tacme\n" + rows + "\n")));
}
