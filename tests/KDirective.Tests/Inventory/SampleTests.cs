using KDirective.Inventory;

namespace KDirective.Tests.Inventory;

/// <summary>Every bundled sample gives the answer a person reading it by hand would give.</summary>
public class SampleTests
{
    public static TheoryData<string, string, string, long?, long?, string> Samples() => new()
    {
        { "kdirective-template.csv", "kdirective", ",", null, null, "Kaspersky Endpoint Security for Windows=14; Kaspersky Endpoint Security for Linux=1; Kaspersky Security Center Network Agent=1" },
        { "mecm-add-remove-programs.csv", "mecm", ",", 4, 3, "Kaspersky Endpoint Security for Windows=2; Kaspersky Security Center Network Agent=1; Kaspersky Security for Windows Server=1" },
        { "defender-software-inventory.csv", "defender", ",", 3, 2, "Kaspersky Anti-Virus=1; Kaspersky Endpoint Security=1" },
        { "powershell-uninstall-export.csv", "powershell", ",", 3, 2, "Kaspersky Security Cloud=1; Kaspersky Total Security=1" },
        { "intune-detected-apps.csv", "intune", ",", null, null, "Kaspersky Endpoint Security for Windows=37; Kaspersky Security Center Network Agent=37; Kaspersky Endpoint Security for Mac=6" },
        { "ksc-software-inventory.csv", "ksc", ";", null, null, "Kaspersky Endpoint Security for Windows=58; Kaspersky Security Center Network Agent=58; Kaspersky Security Center Administration Console=3" },
        { "tanium-installed-applications.csv", "tanium", ",", null, null, "Kaspersky Endpoint Security for Windows=212; Kaspersky Endpoint Security for Linux=9; Kaspersky Security Center Network Agent=3" },
        { "tanium-per-machine-utf16.csv", "tanium", "\t", 3, 2, "Kaspersky Security Center Administration Console=1; Kaspersky Small Office Security=1" },
        { "lansweeper-software.csv", "lansweeper", ",", 4, 3, "Kaspersky Anti-Virus=1; Kaspersky Internet Security=1; Kaspersky Rescue Disk=1" },
        { "osquery-programs.csv", "osquery", "|", 4, 2, "Kaspersky Endpoint Security for Linux=1; Kaspersky Endpoint Security for Mac=1; Kaspersky Security Center Network Agent=1" },
        { "clean-gsa-mecm.csv", "mecm", ",", 3, 0, "" },
        { "intune-appinvrawdata.csv", "intune-appinv-raw", ",", 4, 3, "Kaspersky Endpoint Security for Windows=2; Kaspersky Endpoint Security for Mac=1; Kaspersky Security Center Network Agent=1" },
        { "intune-appinvaggregate.csv", "intune-appinv", ",", null, null, "Kaspersky Endpoint Security for Windows=41; Kaspersky Security Center Network Agent=41; Kaspersky Endpoint Security for Mac=5" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_IsReadAsExpected(string file, string format, string delimiter, long? scanned, long? affected, string findings)
    {
        var report = await new InventoryReader().ReadAsync(new FileInventorySource(Paths.Inventory(file)));

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(format, report.Format);
        Assert.Equal(delimiter, report.Delimiter);
        Assert.Equal(0, report.RowsRejected);
        Assert.Equal(scanned, report.EndpointsScanned);
        Assert.Equal(affected, report.EndpointsAffected);
        Assert.Equal(findings, string.Join("; ", report.Findings.Select(f => $"{f.Product}={f.Endpoints}")));
    }

    [Fact]
    public void EverySampleFile_IsCoveredByATest()
    {
        var covered = Samples().Select(row => (string)row[0]).ToHashSet();
        var files = Directory.GetFiles(Path.Combine(Paths.Samples, "inventories")).Select(f => Path.GetFileName(f));

        Assert.All(files, f => Assert.Contains(f, covered));
        Assert.Equal(InventoryFormats.All.Select(f => f.Id).Distinct().Order(), Samples().Select(r => (string)r[1]).Distinct().Order());
    }
}
