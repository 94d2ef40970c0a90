using System.Text;

namespace KDirective.Tests.Inventory;

public class ValueTests
{
    [Fact]
    public void Read_HugeEndpointCounts_AreRejectedNotSummedIntoANegative()
    {
        var report = Read.Text("wstrDisplayName,wstrDisplayVersion,wstrPublisher,nHostCount\n" +
            "Kaspersky Endpoint Security,11,Kaspersky Lab,9223372036854775807\n" +
            "Kaspersky Endpoint Security,11,Kaspersky Lab,9223372036854775807\n" +
            "Kaspersky Endpoint Security,12,Kaspersky Lab,40\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(40, Assert.Single(report.Findings).Endpoints);
        Assert.Equal(2, report.RowsRejected);
        Assert.Contains("more than one row can stand for", report.Rejections[0].Reason);
        Assert.Equal(2, report.PossibleFindingCount);
    }

    [Fact]
    public void Read_ControlCharacterInAValue_RejectsTheRowAndReportsItAsAPossibleFinding()
    {
        var report = Read.Text("Hostname,Publisher,Product,Version\nPC-1\u001B[2J,Kaspersky Lab,Kaspersky Anti-Virus,15\nPC-2,Microsoft,Edge\u0007,1\n");

        Assert.Equal(["a control character (U+001B) in the hostname", "a control character (U+0007) in the product name"], report.Rejections.Select(r => r.Reason));
        var possible = Assert.Single(report.PossibleFindings);
        Assert.DoesNotContain("\u001B", possible.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StrayWindows1252ByteAfterAMebibyteOfUtf8_KeepsTheUtf8RowsAsUtf8()
    {
        var text = new StringBuilder("Hostname,Publisher,Product,Version\n");
        text.Append("ПК-1,Лаборатория Касперского,Антивирус Касперского,21\n");
        while (text.Length < 1_100_000)
        {
            text.Append("ПК-2,Microsoft,Edge,1\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString()).Concat(Encoding.Latin1.GetBytes("CAFÉ-9,Kaspersky Lab,Kaspersky Free,19\n")).ToArray();

        var report = Read.Bytes(bytes);

        Assert.True(report.Accepted, report.Error);
        Assert.Equal("utf-8+windows-1252", report.Encoding);
        Assert.Equal(["ПК-1", "CAFÉ-9"], report.Matches.Select(m => m.Hostname));
        Assert.Equal("Антивирус Касперского", report.Matches[0].Name);
    }
}
