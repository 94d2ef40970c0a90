using KDirective.Detection;

namespace KDirective.Tests.Detection;

public class CanonicalNameTests
{
    [Theory]
    [InlineData("Kaspersky Lab", "Kaspersky Endpoint Security 11 for Windows", "Kaspersky Endpoint Security for Windows")]
    [InlineData("Лаборатория Касперского", "Kaspersky Endpoint Security 10 для Windows", "Kaspersky Endpoint Security for Windows")]
    [InlineData("AO Kaspersky Lab", "Kaspersky Security Center 14.2 Network Agent", "Kaspersky Security Center Network Agent")]
    [InlineData("", "klnagent", "Kaspersky Security Center Network Agent")]
    [InlineData("AO Kaspersky Lab", "Агент администрирования Kaspersky Security Center 10", "Kaspersky Security Center Network Agent")]
    [InlineData("AO Kaspersky Lab", "Консоль администрирования Kaspersky Security Center", "Kaspersky Security Center Administration Console")]
    [InlineData("", "com.kaspersky.kes", "Kaspersky Endpoint Security for Mac")]
    [InlineData("", "kesl-gui", "Kaspersky Endpoint Security for Linux")]
    [InlineData("Kaspersky Lab", "kavremover", "Kaspersky Removal Tool")]
    [InlineData("Kaspersky Lab North America", "Secure Connection", "Kaspersky VPN Secure Connection")]
    [InlineData("kaspersky", "endpoint_security", "Kaspersky Endpoint Security")]
    [InlineData("AO Kaspersky Lab", "Kaspersky Security 10 for Windows Server", "Kaspersky Security for Windows Server")]
    [InlineData("Kaspersky", "Kaspersky Basic", "Kaspersky Basic")]
    public void Match_GroupsVariantsUnderOneCanonicalName(string publisher, string name, string expected) =>
        Assert.Equal(expected, ProductMatcher.Default.Match(publisher, name));

    [Fact]
    public void Match_UnlistedBrandedProduct_GroupsByNameWithoutVersionNumbers() =>
        Assert.Equal("Kaspersky Quantum Widget", ProductMatcher.Default.Match("AO Kaspersky Lab", "Kaspersky Quantum Widget 2030"));

    [Theory]
    [InlineData("Kaspersky Quantum Widget 2.0", "Kaspersky Quantum Widget")] // a version with a dot is a number too
    [InlineData("Kaspersky  Quantum\tWidget   v3", "Kaspersky Quantum\tWidget")] // runs of spaces are one
    [InlineData("2030 11.1", "2030 11.1")] // nothing but numbers: the name as written, not an empty product
    public void Match_UnlistedBrandedProduct_NameWithoutNumbers(string name, string expected) =>
        Assert.Equal(expected, ProductMatcher.Default.Match("AO Kaspersky Lab", name));

    [Fact]
    public void Match_UnlistedBrandedProduct_DecomposedAndComposedSpellings_GroupUnderOneName()
    {
        // A macOS export writes accents decomposed (NFD); the same product from Windows is composed (NFC).
        const string composed = "Kaspersky S\u00E9curit\u00E9 Totale";
        var decomposed = composed.Normalize(System.Text.NormalizationForm.FormD);
        Assert.NotEqual(composed, decomposed);

        Assert.Equal(composed, ProductMatcher.Default.Match("AO Kaspersky Lab", decomposed));
        Assert.Equal(composed, ProductMatcher.Default.Match("AO Kaspersky Lab", composed));
    }

    [Theory]
    [InlineData("AO Kaspersky Lab")]
    [InlineData("Лаборатория Касперского")]
    [InlineData(null)]
    public void Find_WithNoProductName_IsNoFinding(string? publisher) =>
        Assert.Null(ProductMatcher.Default.Find(publisher, null));

    [Theory]
    [InlineData("AO Kaspersky Lab", "")]
    [InlineData("AO Kaspersky Lab", "   ")]
    public void Match_BrandedPublisherWithABlankName_IsNoFinding(string publisher, string name) =>
        Assert.Null(ProductMatcher.Default.Match(publisher, name));

    /// <summary>
    /// A name that is there but holds no word is software the publisher installed all the same: an ASCII export of a
    /// Cyrillic name ("????"), or a tool's "-" for a name it could not read (until 2026-12-07 no finding).
    /// </summary>
    [Theory]
    [InlineData("Kaspersky Lab", "--- (*) ---", "Kaspersky Lab (product name unreadable)")]
    [InlineData("AO Kaspersky Lab", "????????? ???????????", "AO Kaspersky Lab (product name unreadable)")]
    [InlineData("Mozilla", "????", null)]
    public void Match_ANameOfNoWords_IsAFindingOnlyUnderABrandedPublisher(string publisher, string name, string? product) =>
        Assert.Equal(product, ProductMatcher.Default.Match(publisher, name));

    [Fact]
    public void Catalog_IsData_ACustomCatalogCanServeAnotherVendorBan()
    {
        var catalog = ProductCatalog.Parse(new StringReader("brand\tacme*\nproduct\trocket\tAcme Rocket\npackage\tacmed\tAcme Daemon\n"));
        var matcher = new ProductMatcher(catalog);
        Assert.Equal("Acme Rocket", matcher.Match("Acme Corp", "Acme Rocket 3"));
        Assert.Equal("Acme Daemon", matcher.Match(null, "acmed"));
        Assert.Null(matcher.Match("AO Kaspersky Lab", "Kaspersky Endpoint Security"));
    }

    [Theory]
    [InlineData("product\tKaspersky\tX", "lower-case")]
    [InlineData("product\tkaspersky", "canonical")]
    [InlineData("bogus\tkaspersky\tX", "expected")]
    [InlineData("product\tendpoint security\tX", "brand")]
    public void Catalog_RejectsMalformedRowsWithTheirLine(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ProductCatalog.Parse(new StringReader(text)));
        Assert.Contains(expected, error.Message);
    }
}
