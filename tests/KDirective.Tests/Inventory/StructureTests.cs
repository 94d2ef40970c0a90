namespace KDirective.Tests.Inventory;

public class StructureTests
{
    [Fact]
    public void Read_PowerShellTypeLine_IsSkippedAndCountedAsALine()
    {
        var report = Read.Text("#TYPE System.Management.Automation.PSCustomObject\r\n\"ComputerName\",\"DisplayName\",\"DisplayVersion\",\"Publisher\"\r\n\"PC-9\",\"Kaspersky Total Security\",\"21.3\",\"AO Kaspersky Lab\"\r\n");

        Assert.Equal("powershell", report.Format);
        Assert.Equal(3, Assert.Single(report.Matches).Line);
    }

    [Fact]
    public void Read_QuotedLineBreaks_AreOneFieldAndLineNumbersCountPhysicalLines()
    {
        var report = Read.Text("Hostname,Publisher,Product,Version\n\"PC-1\",\"Mozilla\nFoundation\",\"Mozilla Firefox\",1\nPC-2,,,2\nPC-3,Kaspersky Lab,\"Kaspersky \"\"Anti-Virus\"\"\",3\n");

        Assert.Equal(3, report.RowsRead);
        var rejection = Assert.Single(report.Rejections);
        Assert.Equal(new KDirective.Inventory.Rejection(4, "no product name"), rejection);
        var match = Assert.Single(report.Matches);
        Assert.Equal(5, match.Line);
        Assert.Equal("Kaspersky \"Anti-Virus\"", match.Name);
    }

    [Theory]
    [InlineData("HOSTNAME,PUBLISHER,PRODUCT,VERSION", "kdirective")]
    [InlineData("Netbios_Name0,DisplayName0,Publisher0,Version0", "mecm")]
    [InlineData("Name0,ProductName0,Publisher0,ProductVersion0", "mecm")]
    [InlineData("Device Name,Software Vendor,Software Name,Software Version,OSPlatform", "defender")]
    [InlineData("PSComputerName,DisplayName,DisplayVersion,Publisher", "powershell")]
    [InlineData("displayName,version,publisher,deviceCount,platform", "intune")]
    [InlineData("wstrDisplayName,wstrDisplayVersion,wstrPublisher,nHostCount", "ksc")]
    [InlineData("Count,Name,Version", "tanium")]
    [InlineData("Computer Name,Name,Version", "tanium")]
    [InlineData("AssetName,softwareName,softwareVersion,SoftwarePublisher", "lansweeper")]
    [InlineData("name,version,publisher,host_hostname", "osquery")]
    [InlineData("computer_name,name,version,publisher", "osquery")]
    public void Recognize_FormatFromItsHeader(string header, string format)
    {
        var values = header.Split(',').Select(h => h.ToLowerInvariant().Contains("count") ? "3" : "Kaspersky Anti-Virus");
        var report = Read.Text($"{header}\n{string.Join(',', values)}\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(format, report.Format);
    }

    [Fact]
    public void Read_UnknownHeader_IsRejectedWholeAndListsTheAcceptedHeaders()
    {
        var report = Read.Text("Machine,App\nPC-1,Kaspersky Anti-Virus\n");

        Assert.False(report.Accepted);
        Assert.Contains("line 1", report.Error);
        Assert.Contains("'Machine', 'App'", report.Error);
        Assert.Contains("Netbios_Name0", report.Error);
        Assert.Contains("wstrDisplayName", report.Error);
    }

    [Fact]
    public void Read_BadRows_AreRejectedOneAtATimeAndTheRestIsUsed()
    {
        var report = Read.Text("displayName,version,publisher,deviceCount\n" +
                               "Kaspersky Endpoint Security for Windows,11,AO Kaspersky Lab,12\n" +
                               "Kaspersky Anti-Virus,15,Kaspersky Lab,twelve\n" +
                               "Kaspersky Anti-Virus,15,Kaspersky Lab,3.5\n" +
                               ",15,Kaspersky Lab,4\n" +
                               "Kaspersky Anti-Virus,15,Kaspersky Lab,4,extra\n" +
                               "Kaspersky Anti-Virus,15\n" +
                               "Kaspersky Anti-Virus,15,Kaspersky Lab,\n" +
                               "Kaspersky Anti-Virus,15,Kaspersky Lab,-4\n" +
                               "Kaspersky Anti-Virus,15,Kaspersky Lab,5\n");

        Assert.True(report.Accepted);
        Assert.Equal(9, report.RowsRead);
        Assert.Equal(7, report.RowsRejected);
        Assert.Equal(
            [
                (3L, "endpoint count 'twelve' is not a whole number"),
                (4L, "endpoint count '3.5' is not a whole number"),
                (5L, "no product name"),
                (6L, "expected 4 fields as in the header, found 5"),
                (7L, "expected 4 fields as in the header, found 2"),
                (8L, "no endpoint count"),
                (9L, "endpoint count '-4' is not a whole number"),
            ],
            report.Rejections.Select(r => (r.Line, r.Reason)));
        Assert.Equal([("Kaspersky Endpoint Security for Windows", 12L), ("Kaspersky Anti-Virus", 5L)], report.Findings.Select(f => (f.Product, f.Endpoints)));
        Assert.Null(report.EndpointsScanned);
    }

    [Fact]
    public void Read_FileWhoseEveryRowIsBad_IsRejectedWhole()
    {
        var report = Read.Text("Hostname,Publisher,Product,Version\nPC-1,Microsoft,,1\n");

        Assert.False(report.Accepted);
        Assert.Contains("line 2: no product name", report.Error);
    }

    [Fact]
    public void Read_FormulaLikeValues_StayText()
    {
        var report = Read.Text("Hostname,Publisher,Product,Version\n=cmd|' /C calc'!A0,@SUM(1),=HYPERLINK(1),+1\n-PC,Kaspersky Lab,Kaspersky Anti-Virus,-2\n");

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(2, report.EndpointsScanned);
        var match = Assert.Single(report.Matches);
        Assert.Equal("-PC", match.Hostname);
        Assert.Equal("-2", match.Version);
    }

    [Fact]
    public void Summary_CountsDistinctHostsPerProductAndCollectsVersions()
    {
        var report = Read.Text("Hostname,Publisher,Product,Version\n" +
                               "pc-1,Kaspersky Lab,Kaspersky Endpoint Security 10 for Windows,10.3\n" +
                               "PC-1,Kaspersky Lab,Kaspersky Endpoint Security 11 for Windows,11.1\n" +
                               "PC-2,Kaspersky Lab,Kaspersky Endpoint Security 11 for Windows,11.1\n" +
                               "PC-3,Google,Chrome,1\n");

        var finding = Assert.Single(report.Findings);
        Assert.Equal(2, finding.Endpoints);
        Assert.Equal(["10.3", "11.1"], finding.Versions);
        Assert.Equal(3, report.EndpointsScanned);
        Assert.Equal(2, report.EndpointsAffected);
        Assert.Equal(4, report.RowsRead);
    }
}

public class HostCountingTests
{
    [Fact]
    public void Summary_HostnamesDifferingOnlyInCase_AreOneEndpoint_InAnyScript()
    {
        var report = Read.Text("Hostname,Publisher,Product,Version\n" +
                               "пк-01,Kaspersky Lab,Kaspersky Anti-Virus,1\n" +
                               "PC-02,Microsoft,Edge,1\n" +
                               "ПК-01,Microsoft,Edge,1\n" +
                               "pc-02,Kaspersky Lab,Kaspersky Anti-Virus,1\n" +
                               "PC-03,Microsoft,Edge,1\n");

        Assert.Equal(3, report.EndpointsScanned);
        Assert.Equal(2, report.EndpointsAffected);
        Assert.Equal(2, report.Findings.Single().Endpoints);
    }
}
