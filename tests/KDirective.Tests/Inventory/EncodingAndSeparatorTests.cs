using System.Text;

namespace KDirective.Tests.Inventory;

public class EncodingAndSeparatorTests
{
    private const string Rows = "Hostname;Publisher;Product;Version\r\nПК-01;АО «Лаборатория Касперского»;Kaspersky Endpoint Security 10 для Windows;10.3.0.6294\r\nPC-02;Microsoft;Edge;1\r\n";

    static EncodingAndSeparatorTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-8-bom")]
    [InlineData("utf-8")]
    public void Read_UnicodeEncodings_KeepCyrillicAndFindTheProduct(string label)
    {
        Encoding encoding = label switch
        {
            "utf-16le" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
            "utf-16be" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
            "utf-8-bom" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
            _ => new UTF8Encoding(false),
        };

        var report = Read.Text(Rows, encoding);

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(label, report.Encoding);
        Assert.Equal(";", report.Delimiter);
        var match = Assert.Single(report.Matches);
        Assert.Equal("ПК-01", match.Hostname);
        Assert.Equal("АО «Лаборатория Касперского»", match.Publisher);
        Assert.Equal("Kaspersky Endpoint Security for Windows", match.Product);
    }

    [Fact]
    public void Read_InvalidUtf8_FallsBackToWindows1252()
    {
        var bytes = Encoding.GetEncoding(1252).GetBytes("Hostname,Publisher,Product,Version\r\nCAFÉ-01,Kaspersky Lab,Kaspersky Anti-Virus,15\r\n");

        var report = Read.Bytes(bytes);

        Assert.Equal("windows-1252", report.Encoding);
        Assert.Equal("CAFÉ-01", Assert.Single(report.Matches).Hostname);
    }

    [Fact]
    public void Read_InvalidUtf8AfterTheFirst64KiB_IsDecodedAsWindows1252WithoutReadingAgain()
    {
        var text = new StringBuilder("Hostname,Publisher,Product,Version\r\n");
        for (var i = 0; text.Length < 100_000; i++)
        {
            text.Append($"PC-{i},Microsoft,Edge,1\r\n");
        }

        text.Append("SÃO-99,Kaspersky Lab,Kaspersky Anti-Virus,15\r\n");
        var report = Read.Bytes(Encoding.GetEncoding(1252).GetBytes(text.ToString()));

        Assert.True(report.Accepted, report.Error);
        Assert.Equal("windows-1252", report.Encoding);
        Assert.Equal("SÃO-99", Assert.Single(report.Matches).Hostname);
    }

    [Fact]
    public void Read_MultiByteCharacterSplitAcrossBuffers_StaysUtf8()
    {
        var text = new StringBuilder("Hostname,Publisher,Product,Version\r\n");
        for (var i = 0; text.Length < 200_000; i++)
        {
            text.Append($"ПК-{i},Лаборатория Касперского,Антивирус Касперского,1\r\n");
        }

        var report = Read.Text(text.ToString(), matches: false);

        Assert.Equal("utf-8", report.Encoding);
        Assert.Equal(report.RowsRead, report.Findings.Single().Endpoints);
    }

    [Theory]
    [InlineData(",", ",")]
    [InlineData(";", ";")]
    [InlineData("\t", "\t")]
    [InlineData("|", "|")]
    public void Read_DetectsTheSeparator(string separator, string label)
    {
        var text = string.Join("\n", new[]
        {
            "Hostname,Publisher,Product,Version",
            "PC-1,Kaspersky Lab,Kaspersky Anti-Virus,15",
            "PC-2,Mozilla,Firefox,130",
        }.Select(l => l.Replace(",", separator)));

        var report = Read.Text(text);

        Assert.Equal(label, report.Delimiter);
        Assert.Equal("kdirective", report.Format);
        Assert.Equal(2, report.EndpointsScanned);
        Assert.Equal(1, report.EndpointsAffected);
    }
}
