using KDirective.Detection;

namespace KDirective.Tests.Detection;

public class NormalizationTests
{
    [Theory]
    [InlineData("Ｋａｓｐｅｒｓｋｙ Ａｎｔｉ-Ｖｉｒｕｓ", "fullwidth letters")]
    [InlineData("Kas\u200Bpersky Anti-Virus", "zero-width space")]
    [InlineData("Kasper\u00ADsky Anti-Virus", "soft hyphen")]
    [InlineData("Kasp\u2060ersky Anti-Virus", "word joiner")]
    [InlineData("Kas\u202Epersky Anti-Virus", "right-to-left override")]
    [InlineData("Kasp\uFE0Fersky Anti-Virus", "variation selector")]
    [InlineData("K\u0430spersky Anti-Virus", "Cyrillic a in a Latin word")]
    [InlineData("Kasp\u0435rsky Anti-Virus", "Cyrillic e in a Latin word")]
    [InlineData("\u039Aaspersky Anti-Virus", "Greek capital kappa")]
    [InlineData("𝐊𝐚𝐬𝐩𝐞𝐫𝐬𝐤𝐲 Anti-Virus", "mathematical bold letters")]
    public void Find_LookAlikeKasperskyName_MatchesAndIsFlaggedObfuscated(string name, string why)
    {
        var match = ProductMatcher.Default.Find("Example Corp", name);

        Assert.True(match is not null, why);
        Assert.StartsWith("Kaspersky", match.Product);
        Assert.True(match.Obfuscated, why);
    }

    [Theory]
    [InlineData("Kas\u115Fpersky Anti-Virus", "Hangul choseong filler")]
    [InlineData("Kas\u1160persky Anti-Virus", "Hangul jungseong filler")]
    [InlineData("Kas\u3164persky Anti-Virus", "Hangul filler")]
    [InlineData("Kas\uFFA0persky Anti-Virus", "halfwidth Hangul filler")]
    [InlineData("Kas\u2800persky Anti-Virus", "Braille pattern blank")]
    [InlineData("Kas\u034Fpersky Anti-Virus", "combining grapheme joiner")]
    [InlineData("Kas\U000E0100persky Anti-Virus", "variation selector supplement")]
    public void Find_KasperskySplitByACharacterThatShowsNothing_MatchesAndIsFlaggedObfuscated(string name, string why)
    {
        var match = ProductMatcher.Default.Find("Example Corp", name);

        Assert.True(match == new CatalogMatch("Kaspersky Anti-Virus", Obfuscated: true), $"{why}: {match}");
    }

    [Fact]
    public void Find_LookAlikeWordThatEndsTheValue_Matches()
    {
        // The publisher is one word, the last of its value, with a Cyrillic a.
        Assert.Equal(new CatalogMatch("Kaspersky VPN Secure Connection", Obfuscated: true), ProductMatcher.Default.Find("K\u0430spersky", "Secure Connection"));
    }

    [Fact]
    public void Find_PackageNameWrittenWhollyInLookAlikes_Matches()
    {
        // "kess" in Cyrillic capitals: К, Е and two Ѕ (dze); not a word of any language.
        Assert.Equal(new CatalogMatch("Kaspersky Embedded Systems Security for Linux", Obfuscated: true), ProductMatcher.Default.Find(null, "\u041A\u0415\u0405\u0405"));
    }

    [Fact]
    public void Find_RussianBrandHiddenByAZeroWidthSpace_MatchesTheRussianPattern()
    {
        // Once the hiding character is gone, the Russian words must keep their own letters to match "касперск*".
        Assert.Equal(new CatalogMatch("Kaspersky Anti-Virus", Obfuscated: true), ProductMatcher.Default.Find(null, "Антивирус Каспер\u200Bского"));
    }

    [Theory]
    [InlineData("Антивирус с Каспер\u200Bским", "Антивирус с Касперским")] // a one-letter word (с, "with") is Russian, not a look-alike
    [InlineData("Kaspersky Антивирус\u200B", "Kaspersky Антивирус")] // a Russian word after a Latin one keeps its letters
    [InlineData("Anti-Virus K\u0430spersky", "Anti-Virus Kaspersky")] // a mixed word at the very end is mapped
    [InlineData("\u041A\u0415\u0405 11", "kes 11")] // a word wholly of look-alikes is mapped
    [InlineData("Лаборатория Касперского", null)] // changes nothing, so there is nothing to retry
    public void Deobfuscate_MapsLookAlikesOnlyInWordsThatCannotBeRussian(string value, string? expected) =>
        Assert.Equal(expected, TextNormalizer.Deobfuscate(value));

    [Theory]
    [InlineData("K\u00E5spersky Lab", "K\u00E5spersky Anti-Virus", "Kaspersky Anti-Virus")]
    [InlineData("Example Corp", "Kasp\u00E9rsky Endpoint Security", "Kaspersky Endpoint Security")]
    [InlineData("Example Corp", "Kaspe\u0301rsky Anti-Virus", "Kaspersky Anti-Virus")] // the accent as a mark of its own
    [InlineData("Kaspersk\u00FD", "Secure Connection", "Kaspersky VPN Secure Connection")]
    public void Find_AccentedBrand_MatchesAndIsFlaggedObfuscated(string publisher, string name, string product)
    {
        var match = ProductMatcher.Default.Find(publisher, name);

        Assert.Equal(new CatalogMatch(product, Obfuscated: true), match);
    }

    [Fact]
    public void Read_AccentedBrand_IsCounted()
    {
        var report = KDirective.Tests.Inventory.Read.Text("Hostname,Publisher,Product,Version\nPC-1,K\u00E5spersky Lab,K\u00E5spersky Anti-Virus,21.3\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal([("Kaspersky Anti-Virus", true)], report.Findings.Select(f => (f.Product, f.Obfuscated)));
    }

    [Theory]
    [InlineData("Acme Firewall powered by Kaspersky")]
    [InlineData("Acme Firewall powered by K\u0430spersky")] // hidden the same way a banned name would be
    public void Find_AnotherPublishersProductThatEmbedsKaspersky_IsExcluded_HiddenOrNot(string name) =>
        Assert.Null(ProductMatcher.Default.Find("Acme Corp", name));

    [Fact]
    public void Find_LookAlikePublisherWithAnUnbrandedProduct_Matches()
    {
        var match = ProductMatcher.Default.Find("K\u0430spersky L\u0430b", "Secure Connection");

        Assert.NotNull(match);
        Assert.True(match.Obfuscated);
    }

    [Theory]
    [InlineData("АО «Лаборатория Касперского»", "Антивирус Касперского")]
    [InlineData("Лаборатория Касперского", "Kaspersky Endpoint Security 10 для Windows")]
    [InlineData("AO Kaspersky Lab", "Kaspersky Endpoint Security")]
    public void Find_GenuineNames_MatchWithoutTheObfuscatedFlag(string publisher, string name)
    {
        var match = ProductMatcher.Default.Find(publisher, name);

        Assert.NotNull(match);
        Assert.False(match.Obfuscated);
    }

    [Fact]
    public void Find_DecomposedRussianName_IsNotCalledObfuscated()
    {
        var name = "Антивирус Касперского".Normalize(System.Text.NormalizationForm.FormD) + " й".Normalize(System.Text.NormalizationForm.FormD);

        var match = ProductMatcher.Default.Find(null, name);

        Assert.NotNull(match);
        Assert.False(match.Obfuscated);
    }

    [Theory]
    [InlineData("Jamf", "Casper Admin")]
    [InlineData("Kaspa Labs", "Kaspa Node")]
    [InlineData("Kasparov Software", "Kasparov Chessmate")]
    [InlineData("KaVo Kerr", "KaVo CONNECTbase")]
    [InlineData("", "avahi-daemon")]
    [InlineData("", "klibc-utils")]
    [InlineData("Appest", "TickTick")]
    [InlineData("Jamf", "Ｃａｓｐｅｒ Ａｄｍｉｎ")]
    [InlineData("Kaspa Labs", "K\u0430spa Node")]
    [InlineData("", "\u0430vahi-daemon")]
    [InlineData("Appest", "Tick\u200BTick")]
    [InlineData("Kasparov Software", "К\u0430сп\u0430ров")]
    public void Find_LookAlikesOfOtherNames_NeverMatch(string publisher, string name) =>
        Assert.Null(ProductMatcher.Default.Find(publisher, name));

    [Fact]
    public void Read_ObfuscatedRow_IsFlaggedInMatchesAndFindings()
    {
        var report = KDirective.Tests.Inventory.Read.Text("Hostname,Publisher,Product,Version\nPC-1,Example,K\u0430spersky Anti-Virus,15\nPC-2,Kaspersky Lab,Kaspersky Free,19\n");

        Assert.Equal([true, false], report.Matches.Select(m => m.Obfuscated));
        Assert.Contains(report.Findings, f => f.Obfuscated);
        Assert.Contains(report.Findings, f => !f.Obfuscated);
    }
}
