using System.Text;

namespace KDirective.Ingestion;

/// <summary>Reading a run back: every run reads the one temporary file by offset, so a thousand runs hold one handle.</summary>
internal sealed partial class HostRuns
{
    /// <summary>One run of <paramref name="hosts"/> hosts, read back a buffer at a time from its own window on the file.</summary>
    private sealed class Run(FileStream file, long offset, long length, int hosts, List<string[]> combinations) : IDisposable
    {
        private readonly BinaryReader _reader = new(new BufferedStream(new RegionStream(file, offset, length), ReadBuffer), Encoding.UTF8);
        private int _left = hosts;

        public HostFindings Current { get; private set; }

        public bool MoveNext()
        {
            if (_left == 0)
            {
                return false;
            }

            try
            {
                Current = new HostFindings(_reader.ReadString(), combinations[_reader.Read7BitEncodedInt()]);
            }
            catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentOutOfRangeException)
            {
                throw new IOException("a spilled run of affected hosts could not be read back: the temporary file was changed while it was read", e);
            }

            _left--;
            return true;
        }

        public void Dispose() => _reader.Dispose();
    }

    /// <summary>A read-only window on part of the spill file, read by offset so that runs do not move each other's position.</summary>
    private sealed class RegionStream(FileStream file, long start, long length) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var take = (int)Math.Min(buffer.Length, length - _read);
            if (take <= 0)
            {
                return 0;
            }

            var read = RandomAccess.Read(file.SafeFileHandle, buffer[..take], start + _read);
            _read += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }
    }
}
