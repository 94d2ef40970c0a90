namespace KDirective.Inventory;

/// <summary>
/// Replays the sniffed prefix, then streams the rest, checking the rest as it passes for binary data (NUL
/// characters, in whatever encoding the file has). Nothing beyond one buffer is held, and the source is read once,
/// so a pipe or FIFO reads like a file.
/// </summary>
internal sealed class SniffedStream : Stream
{
    private readonly byte[] _prefix;
    private readonly int _prefixLength;
    private readonly Stream _inner;
    private readonly BinaryCheck _check;
    private int _prefixPosition;

    public SniffedStream(byte[] prefix, int prefixLength, Stream inner, TextEncodingKind encoding)
    {
        _prefix = prefix;
        _prefixLength = prefixLength;
        _inner = inner;
        _check = new BinaryCheck(encoding);
        _check.Check(prefix.AsSpan(0, prefixLength)[Math.Min(prefixLength, encoding.BomLength())..]); // counts the prefix's lines
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPosition < _prefixLength)
        {
            var n = Math.Min(buffer.Length, _prefixLength - _prefixPosition);
            _prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
            _prefixPosition += n;
            return n;
        }

        var read = _inner.Read(buffer);
        _check.Check(buffer[..read]);
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The prefix is in memory, and a local file is read synchronously: on Linux every FileStream.ReadAsync is a
        // work item on the thread pool, so each block would move the reader to another thread (and wake one to spin).
        if (_prefixPosition < _prefixLength || _inner is FileStream)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(buffer.Span));
        }

        return CheckedAsync(_inner.ReadAsync(buffer, cancellationToken), buffer);
    }

    private async ValueTask<int> CheckedAsync(ValueTask<int> pending, Memory<byte> buffer)
    {
        var read = await pending.ConfigureAwait(false);
        _check.Check(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
