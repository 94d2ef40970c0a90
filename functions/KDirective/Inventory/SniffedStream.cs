using System.Text.Unicode;

namespace KDirective.Inventory;

/// <summary>
/// Replays the sniffed prefix, then streams the rest, checking the rest as it passes: binary data (NUL bytes) and,
/// for a file taken as UTF-8, bytes that are not UTF-8. Nothing beyond one buffer is held.
/// </summary>
internal sealed class SniffedStream : Stream
{
    private readonly byte[] _prefix;
    private readonly int _prefixLength;
    private readonly Stream _inner;
    private readonly TextEncodingKind _encoding;
    private readonly byte[] _carry = new byte[4];
    private int _prefixPosition;
    private int _carryLength;
    private long _lines;

    public SniffedStream(byte[] prefix, int prefixLength, Stream inner, TextEncodingKind encoding)
    {
        _prefix = prefix;
        _prefixLength = prefixLength;
        _inner = inner;
        _encoding = encoding;
        _lines = prefix.AsSpan(0, prefixLength).Count((byte)'\n');

        // The sniffer checked the prefix up to a character the next read completes: carry that character over.
        if (encoding is TextEncodingKind.Utf8 or TextEncodingKind.Utf8Bom)
        {
            _carryLength = EncodingSniffer.IncompleteTail(prefix.AsSpan(0, prefixLength));
            prefix.AsSpan(prefixLength - _carryLength, _carryLength).CopyTo(_carry);
        }
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
        Check(buffer[..read], read == 0);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefixPosition < _prefixLength)
        {
            return Read(buffer.Span);
        }

        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Check(buffer.Span[..read], read == 0);
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

    private void Check(ReadOnlySpan<byte> bytes, bool end)
    {
        if (!_encoding.IsByteOriented())
        {
            return;
        }

        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            var line = _lines + bytes[..nul].Count((byte)'\n') + 1;
            throw new InventoryRejectedException($"line {line} contains NUL bytes: this is binary data, not a CSV export");
        }

        _lines += bytes.Count((byte)'\n');
        if (_encoding is TextEncodingKind.Utf8 or TextEncodingKind.Utf8Bom)
        {
            CheckUtf8(bytes, end);
        }
    }

    private void CheckUtf8(ReadOnlySpan<byte> bytes, bool end)
    {
        if (_carryLength > 0)
        {
            // Complete the sequence split across reads before checking the rest.
            Span<byte> joined = stackalloc byte[8];
            _carry.AsSpan(0, _carryLength).CopyTo(joined);
            var take = Math.Min(4, bytes.Length);
            bytes[..take].CopyTo(joined[_carryLength..]);
            var window = joined[..(_carryLength + take)];
            var firstRuneLength = System.Text.Rune.DecodeFromUtf8(window, out _, out var consumed) == System.Buffers.OperationStatus.Done
                ? consumed
                : -1;
            if (firstRuneLength < 0)
            {
                throw new NotUtf8Exception();
            }

            bytes = bytes[Math.Max(0, firstRuneLength - _carryLength)..];
            _carryLength = 0;
        }

        var tail = end ? 0 : EncodingSniffer.IncompleteTail(bytes);
        if (!Utf8.IsValid(bytes[..^tail]))
        {
            throw new NotUtf8Exception();
        }

        bytes[^tail..].CopyTo(_carry);
        _carryLength = tail;
    }
}

/// <summary>Bytes past the sniffed prefix are not UTF-8: the reader starts over with Windows-1252.</summary>
internal sealed class NotUtf8Exception : Exception;
