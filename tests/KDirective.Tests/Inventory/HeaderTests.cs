using System.Text;

namespace KDirective.Tests.Inventory;

public class HeaderTests
{
    [Fact]
    public void Read_TwoColumnsForTheSameRole_AreRejectedWholeNamingBoth()
    {
        var report = Read.Text("Netbios_Name0,DisplayName0,Publisher0,Version0,DisplayName0\nPC-1,Edge,Microsoft,1,Kaspersky Anti-Virus\n");

        Assert.False(report.Accepted);
        Assert.Contains("columns 2 and 5", report.Error);
        Assert.Contains("'DisplayName0'", report.Error);
    }

    [Fact]
    public void Read_AlternativeNameColumns_AreAllCheckedForDetection()
    {
        var report = Read.Text("Netbios_Name0,DisplayName0,Publisher0,Version0,ProductName0\nPC-1,Edge,Microsoft,1,Kaspersky Anti-Virus\nPC-2,,Microsoft,1,Teams\n");

        Assert.True(report.Accepted, report.Error);
        var match = Assert.Single(report.Matches);
        Assert.Equal("Kaspersky Anti-Virus", match.Name);
        Assert.Empty(report.Rejections);
    }

    [Fact]
    public void Read_ManyBlankLinesBeforeTheHeader_AreSkipped()
    {
        var blank = string.Concat(Enumerable.Repeat("\r\n \r\n,,,\r\n", 10_000));
        var report = Read.Text(blank + "Hostname,Publisher,Product,Version\r\nPC-1,Kaspersky Lab,Kaspersky Anti-Virus,15\r\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(30_002, Assert.Single(report.Matches).Line);
    }

    [Theory]
    [InlineData("{\"Hostname\": \"PC-1\", \"Product\": \"Kaspersky\"}\n", "JSON")]
    [InlineData("[{\"Hostname\": \"PC-1\"}]\n", "JSON")]
    [InlineData("<?xml version=\"1.0\"?>\n<inventory><row/></inventory>\n", "XML")]
    public void Read_JsonOrXmlNamedCsv_SaysWhatItIsAndListsTheAcceptedHeaders(string text, string kind)
    {
        var report = Read.Text(text);

        Assert.False(report.Accepted);
        Assert.Contains($"the file is {kind}", report.Error);
        Assert.Contains("Accepted formats: kdirective", report.Error);
    }

    [Fact]
    public void Read_ByteOrderMarkThenNul_IsRejectedAsBinary()
    {
        var report = Read.Bytes([0xEF, 0xBB, 0xBF, .. "Hostname,Publisher\n"u8, 0x00, 0x01, 0x02]);

        Assert.False(report.Accepted);
        Assert.Contains("line 2 contains NUL bytes", report.Error);
    }

    [Fact]
    public void Read_ByteOrderMarkThenControlGarbage_IsRejectedAsBinaryNotShownAsAHeader()
    {
        var report = Read.Bytes([0xEF, 0xBB, 0xBF, 0x1B, 0x07, 0x03, 0x1B, (byte)'[', (byte)'2', (byte)'J', (byte)'\n']);

        Assert.False(report.Accepted);
        Assert.Contains("control characters", report.Error);
        Assert.DoesNotContain("\u001B", report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Utf16WithANulCharacter_IsRejectedNamingTheLine()
    {
        var text = "Hostname,Publisher,Product,Version\r\nPC-1,Kaspersky Lab,Kaspersky\0 Anti-Virus,15\r\n";

        var report = Read.Text(text, Encoding.Unicode);

        Assert.False(report.Accepted);
        Assert.Contains("line 2 contains NUL characters", report.Error);
    }
}
