using System.Text;

namespace KDirective.Tests.Inventory;

public class QuoteRecoveryTests
{
    private const string Header = "Hostname,Publisher,Product,Version\n";

    [Fact]
    public void Read_UnclosedQuoteMidFile_RejectsOnlyItsLineAndUsesEveryRowAfterIt()
    {
        var report = Read.Text(Header + "PC-1,Microsoft,\"Edge,1\nPC-2,Kaspersky Lab,Kaspersky Anti-Virus,15\nPC-3,Mozilla,Firefox,1\nPC-4,AO Kaspersky Lab,Kaspersky Total Security,21\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(4, report.RowsRead);
        var rejection = Assert.Single(report.Rejections);
        Assert.Equal(2, rejection.Line);
        Assert.Contains("never closed", rejection.Reason);
        Assert.Equal([3L, 5L], report.Matches.Select(m => m.Line));
    }

    [Fact]
    public void Read_QuoteClosedByAStrayQuoteLinesLater_ReadsTheLinesBetweenOnTheirOwn()
    {
        var report = Read.Text(Header + "PC-1,Microsoft,\"Edge,1\nPC-2,Kaspersky Lab,Kaspersky Anti-Virus,15\nPC-3,Mozilla,Fire\"fox,1\nPC-4,Mozilla,Firefox,1\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal([2L, 4L], report.Rejections.Select(r => r.Line));
        Assert.Equal(3, Assert.Single(report.Matches).Line);
    }

    [Fact]
    public void Read_UnclosedQuoteFollowedByMoreThanAMebibyte_MissesNoLaterRow()
    {
        var text = new StringBuilder(Header).Append("PC-0,Microsoft,\"Edge,1\n");
        var line = 2;
        while (text.Length < 1_200_000)
        {
            text.Append("PC-1,Microsoft,Edge,1\n");
            line++;
        }

        text.Append("PC-9,Kaspersky Lab,Kaspersky Anti-Virus,15\n");
        var report = Read.Text(text.ToString());

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(2, Assert.Single(report.Rejections).Line);
        Assert.Equal(line + 1, Assert.Single(report.Matches).Line);
    }

    [Fact]
    public void Read_QuoteOpeningOnAKasperskyRow_IsAPossibleFindingNotOnlyARejection()
    {
        var report = Read.Text(Header + "PC-1,Kaspersky Lab,\"Kaspersky Anti-Virus,15\nPC-2,Microsoft,Edge,1\n");

        Assert.True(report.Accepted, report.Error);
        var possible = Assert.Single(report.PossibleFindings);
        Assert.Equal(2, possible.Line);
        Assert.StartsWith("Kaspersky", possible.Product);
        Assert.Contains("PC-1", possible.Text);
        Assert.Equal(1, report.PossibleFindingCount);
    }

    [Theory]
    [InlineData("PC-1,Kaspersky Lab,Kaspersky Anti-Virus,15,extra\n", "expected 4 fields")]
    [InlineData(",Kaspersky Lab,Kaspersky Anti-Virus,15\n", "no hostname")]
    [InlineData("PC-1,Kaspersky Lab,Kaspersky \"Anti\"-Virus,15\n", "quote")]
    public void Read_AnyRejectedKasperskyRow_IsAPossibleFinding(string row, string reason)
    {
        var report = Read.Text(Header + "PC-2,Microsoft,Edge,1\n" + row);

        Assert.Contains(reason, Assert.Single(report.Rejections).Reason);
        Assert.Equal(3, Assert.Single(report.PossibleFindings).Line);
    }

    [Fact]
    public void Read_EveryRowRejected_StillListsThePossibleFindings()
    {
        var report = Read.Text(Header + ",Kaspersky Lab,Kaspersky Anti-Virus,15\n");

        Assert.False(report.Accepted);
        Assert.Contains("look like Kaspersky", report.Error);
        Assert.Single(report.PossibleFindings);
    }

    [Fact]
    public void Read_RejectedRowOfAnotherVendor_IsNoPossibleFinding()
    {
        var report = Read.Text(Header + "PC-1,Microsoft,\"Edge,1\nPC-2,Kaspersky Lab,Kaspersky Anti-Virus,15\n");

        Assert.Empty(report.PossibleFindings);
    }
}
