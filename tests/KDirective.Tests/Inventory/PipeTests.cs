using System.Diagnostics;
using KDirective.Inventory;

namespace KDirective.Tests.Inventory;

public class PipeTests
{
    [Fact]
    public async Task Read_FromAFifoWithAWindows1252Row_ReadsItOnceLikeAFile()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var path = Paths.TempFile();
        using (var mkfifo = Process.Start("mkfifo", path))
        {
            await mkfifo.WaitForExitAsync();
        }

        var writer = Task.Run(async () =>
        {
            await using var fifo = new FileStream(path, FileMode.Open, FileAccess.Write);
            await fifo.WriteAsync("Hostname,Publisher,Product,Version\nPC-1,Microsoft,Edge,1\n"u8.ToArray());
            await fifo.WriteAsync(System.Text.Encoding.Latin1.GetBytes("CAFÉ-1,Kaspersky Lab,Kaspersky Anti-Virus,15\n"));
        });

        var read = new InventoryReader().ReadAsync(new FileInventorySource(path), keepMatches: true);
        var report = await read.WaitAsync(TimeSpan.FromSeconds(30));
        await writer;
        File.Delete(path);

        Assert.True(report.Accepted, report.Error);
        Assert.Equal("CAFÉ-1", Assert.Single(report.Matches).Hostname);
    }
}
