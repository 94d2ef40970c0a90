using System.Text;

namespace KDirective.Ingestion;

/// <summary>Reading a run back: every run reads the one temporary file by offset, so a thousand runs hold one handle.</summary>
internal sealed partial class HostRuns
{
    /// <summary>One run of <paramref name="hosts"/> hosts, read back a buffer at a time from where it starts in the file.</summary>
    private sealed class Run(FileStream file, long offset, int hosts, List<string[]> combinations)
    {
        private readonly BinaryReader _reader = new(new BufferedStream(new OffsetStream(file, offset), ReadBuffer), Encoding.UTF8);
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
    }

    /// <summary>
    /// The spill file read from an offset on, by offset, so that runs do not move each other's position or hold a handle
    /// each. A run reads only its own hosts; what its buffer takes of the next run is never parsed.
    /// </summary>
    private sealed class OffsetStream(FileStream file, long start) : Stream
    {
        private long _position = start;

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
            var read = RandomAccess.Read(file.SafeFileHandle, buffer, _position);
            _position += read;
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
