using System.Text;

namespace KDirective.Tests.Inventory;

public class HostileInputTests
{
    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF }, "empty")]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x20 }, "empty")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, "Excel")]
    public void Read_EmptyOrNonCsvFile_IsRejectedWithAReason(byte[] bytes, string expected)
    {
        var report = Read.Bytes(bytes);

        Assert.False(report.Accepted);
        Assert.Contains(expected, report.Error);
    }

    [Fact]
    public void Read_BinaryFile_IsRejected()
    {
        var bytes = new byte[4096];
        new Random(1).NextBytes(bytes);
        bytes[10] = 0;

        var report = Read.Bytes(bytes);

        Assert.False(report.Accepted);
        Assert.Contains("NUL bytes", report.Error);
    }

    [Fact]
    public void Read_LinesOfNulBytes_AreRejectedNamingTheLine()
    {
        var bytes = Encoding.UTF8.GetBytes("Hostname,Publisher,Product,Version\nPC-1,Kaspersky Lab,Kaspersky Anti-Virus,1\n")
            .Concat(new byte[5000]).Concat("\n"u8.ToArray()).ToArray();

        var report = Read.Bytes(bytes);

        Assert.False(report.Accepted);
        Assert.Contains("line 3 contains NUL bytes", report.Error);
    }

    [Fact]
    public void Read_NulBytesAfterTheFirst64KiB_AreRejectedNamingTheLine()
    {
        var text = new StringBuilder("Hostname,Publisher,Product,Version\n");
        var lines = 1;
        while (text.Length < 70_000)
        {
            text.Append("PC-1,Microsoft,Edge,1\n");
            lines++;
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString()).Concat(new byte[100]).ToArray();
        var report = Read.Bytes(bytes);

        Assert.False(report.Accepted);
        Assert.Contains($"line {lines + 1} contains NUL bytes", report.Error);
    }

    [Fact]
    public void Read_A10MegabyteField_IsRejectedWithoutExhaustingMemory()
    {
        var text = "Hostname,Publisher,Product,Version\nPC-1,Kaspersky Lab,\"" + new string('A', 10 * 1024 * 1024) + "\",1\n";

        var report = Read.Text(text);

        Assert.False(report.Accepted);
        Assert.Contains("line 2", report.Error);
        Assert.Contains("MiB", report.Error);
    }

    [Fact]
    public void Read_UnclosedQuoteOnTheLastRow_RejectsThatRowAsAPossibleFinding()
    {
        var report = Read.Text("Hostname,Publisher,Product,Version\nPC-2,Microsoft,Edge,1\nPC-1,Kaspersky Lab,\"Kaspersky Anti-Virus,1\n");

        Assert.True(report.Accepted);
        Assert.Equal(3, Assert.Single(report.Rejections).Line);
        Assert.Equal(3, Assert.Single(report.PossibleFindings).Line);
    }

    [Fact]
    public void Read_HeaderWithoutRows_IsRejected()
    {
        var report = Read.Text("Hostname,Publisher,Product,Version\r\n");

        Assert.False(report.Accepted);
        Assert.Contains("no data rows", report.Error);
    }

    [Fact]
    public void Read_OverlongValue_RejectsOnlyThatRow()
    {
        var report = Read.Text($"Hostname,Publisher,Product,Version\nPC-1,Microsoft,{new string('x', 600)},1\nPC-2,Kaspersky Lab,Kaspersky Anti-Virus,1\n");

        Assert.True(report.Accepted);
        Assert.Equal((2L, "product name is longer than 512 characters"), (report.Rejections[0].Line, report.Rejections[0].Reason));
    }

    [Fact]
    public void Read_ManyBadRows_ListsAThousandButCountsAll()
    {
        var text = new StringBuilder("Hostname,Publisher,Product,Version\nPC-0,Kaspersky Lab,Kaspersky Anti-Virus,1\n");
        for (var i = 0; i < 1500; i++)
        {
            text.Append("PC-1,Microsoft,,1\n");
        }

        var report = Read.Text(text.ToString());

        Assert.Equal(1500, report.RowsRejected);
        Assert.Equal(1000, report.Rejections.Count);
    }
}
