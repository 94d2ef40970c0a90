using System.Text;
using KDirective.Inventory;

namespace KDirective.Tests.Inventory;

/// <summary>
/// A local file is read with synchronous reads: on Linux FileStream.ReadAsync is a thread-pool work item per block,
/// which moved the whole reader to another thread at every block (about 750 context switches for 1M rows).
/// </summary>
public class LocalFileReadTests
{
    [Fact]
    public async Task Read_LocalFile_NeverCallsReadAsync_AndStillChecksEveryBlockForBinary()
    {
        var text = new StringBuilder("Hostname,Publisher,Product,Version\n");
        var lines = 1;
        while (text.Length < 3 * EncodingSniffer.PrefixSize)
        {
            text.Append("PC-1,Kaspersky Lab,Kaspersky Anti-Virus,15\n");
            lines++;
        }

        var path = Paths.TempFile();
        await File.WriteAllBytesAsync(path, [.. Encoding.UTF8.GetBytes(text.ToString()), .. new byte[10]]);
        var source = new CountingSource(path);

        var report = await new InventoryReader().ReadAsync(source);

        Assert.False(report.Accepted);
        Assert.Contains($"line {lines + 1} contains NUL bytes", report.Error);
        Assert.Equal(0, source.Stream!.AsyncReads);
        Assert.True(source.Stream.SyncReads > 2, $"{source.Stream.SyncReads} synchronous reads");
        File.Delete(path);
    }

    [Fact]
    public async Task Read_LocalFile_ReadSynchronously_CountsEveryRow()
    {
        var text = new StringBuilder("Hostname,Publisher,Product,Version\n");
        for (var i = 0; i < 20_000; i++)
        {
            text.Append(i % 100 == 0 ? $"PC-{i},Kaspersky Lab,Kaspersky Anti-Virus,15\n" : $"PC-{i},Microsoft,Edge,1\n");
        }

        var path = Paths.TempFile();
        await File.WriteAllTextAsync(path, text.ToString());
        var source = new CountingSource(path);

        var report = await new InventoryReader().ReadAsync(source);

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(20_000, report.RowsRead);
        Assert.Equal(200, report.EndpointsAffected);
        Assert.Equal(0, source.Stream!.AsyncReads);
        File.Delete(path);
    }

    private sealed class CountingSource(string path) : IInventorySource
    {
        public CountingFileStream? Stream { get; private set; }

        public string Name => path;

        public Task<Stream> OpenAsync(CancellationToken cancellationToken = default) => Task.FromResult<Stream>(Stream = new CountingFileStream(path));
    }

    private sealed class CountingFileStream(string path) : FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, useAsync: false)
    {
        public int SyncReads { get; private set; }

        public int AsyncReads { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            SyncReads++;
            return base.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            AsyncReads++;
            return base.ReadAsync(buffer, cancellationToken);
        }
    }
}
