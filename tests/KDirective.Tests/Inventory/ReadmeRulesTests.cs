using System.Text;

namespace KDirective.Tests.Inventory;

/// <summary>Reading rules the README states that no other test pinned down.</summary>
public class ReadmeRulesTests
{
    private const string Header = "Hostname,Publisher,Product,Version\n";
    private const string Good = "PC-1,AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1\n";

    [Fact]
    public void Headers_IgnoreCaseUnderscoresAndATrailingZero()
    {
        var report = Read.Text("host_name,PUBLISHER0,Product,Version_0\n" + Good);

        Assert.True(report.Accepted, report.Error);
        Assert.Equal("kdirective", report.Format);
        Assert.Equal(["Kaspersky Endpoint Security for Windows"], report.Findings.Select(f => f.Product));
    }

    [Fact]
    public void RowWithoutAHostname_IsRejectedOnItsOwnWithItsLine()
    {
        var report = Read.Text(Header + Good + ",AO Kaspersky Lab,Kaspersky Anti-Virus,21.3\n");

        Assert.True(report.Accepted);
        var rejection = Assert.Single(report.Rejections);
        Assert.Equal(3, rejection.Line);
        Assert.StartsWith("no hostname", rejection.Reason);
        Assert.Equal(1, report.EndpointsAffected);
    }

    [Fact]
    public void RowsWithBadQuoting_AreRejectedOnTheirOwnWithTheirLines()
    {
        var report = Read.Text(Header + "PC-2,\"AO Kaspersky Lab\"x,Kaspersky Anti-Virus,21.3\n" + Good + "PC-3,AO Kasper\"sky Lab,Kaspersky Anti-Virus,21.3\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(
            [(2L, "text after the closing quote of a field"), (4L, "a quote inside an unquoted field")],
            report.Rejections.Select(r => (r.Line, r.Reason)));
        Assert.Equal((3L, 2L, 1L), (report.RowsRead, report.RowsRejected, report.EndpointsAffected!.Value));
    }

    [Fact]
    public void PdfDocument_IsRejectedWhole_AsAPdf()
    {
        var report = Read.Bytes([.. Encoding.ASCII.GetBytes("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")]);

        Assert.False(report.Accepted);
        Assert.Contains("PDF document", report.Error); // named as a PDF, not as a CSV with an unknown header
        Assert.Empty(report.Findings);
    }
}
