using System.Text;
using KDirective.Detection;
using KDirective.Tests.Inventory;

namespace KDirective.Tests.Detection;

/// <summary>
/// Look-alikes that contain a catalog word inside a longer word. Each one gets past the byte pre-filter (it holds
/// the brand's letters), so it is the token matcher that must tell them apart: catalog words match whole tokens.
/// </summary>
public class WholeTokenTests
{
    /// <summary>Publisher, product name, and what the matcher must answer (null: not banned).</summary>
    public static TheoryData<string, string, string?> LookAlikes() => new()
    {
        { "Example Tools Inc.", "AntiKaspersky Remover", null },
        { "Nokaspersky Software", "Update Helper", null },
        { "AO Kaspersky Lab", "Kaspersky Securityplus Agent", "Kaspersky Securityplus Agent" },
        { "Kaspersky", "Kaspersky Freedom Toolbar", "Kaspersky Freedom Toolbar" },
        { "Kaspersky Lab", "Kaspersky Premiumize Helper", "Kaspersky Premiumize Helper" },
    };

    [Theory]
    [MemberData(nameof(LookAlikes))]
    public void LookAlike_PassesThePreFilter_AndTheMatcherComparesWholeTokens(string publisher, string name, string? expected)
    {
        Assert.True(ProductMatcher.Default.MayMatch(Encoding.UTF8.GetBytes(publisher), Encoding.UTF8.GetBytes(name)), "the pre-filter stopped it: the matcher is not exercised");

        Assert.Equal(expected, ProductMatcher.Default.Match(publisher, name));
    }

    [Fact]
    public void LookAlikes_ThroughTheFullReader_AreNotCountedAsTheProductsTheyResemble()
    {
        var text = new StringBuilder("Hostname,Publisher,Product,Version\n");
        var host = 0;
        foreach (var row in LookAlikes())
        {
            text.Append($"PC-{host++},{row[0]},{row[1]},1.0\n");
        }

        text.Append("PC-99,AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1\n");

        var report = Read.Text(text.ToString());

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(
            ["Kaspersky Endpoint Security for Windows", "Kaspersky Freedom Toolbar", "Kaspersky Premiumize Helper", "Kaspersky Securityplus Agent"],
            report.Findings.Select(f => f.Product).Order(StringComparer.Ordinal));
        Assert.Equal(4, report.EndpointsAffected);
    }
}
