using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KDirective.Inventory;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>
/// A finding's key, bucket and stored JSON, computed into buffers the encoder reuses: the same key as
/// <see cref="FindingWriter.KeyOf"/>, the same bucket as <see cref="FindingEntity.BucketFor"/> and the same JSON as
/// <see cref="FindingStore.Serialize"/>, without the strings those build for every finding (the joined key text,
/// the upper-case hostname, two hex strings and the JSON). At 10M rows they were most of the service's allocations.
/// One encoder serves one writer, one finding at a time; the results last until the next <see cref="Encode"/>.
/// </summary>
internal sealed class FindingEncoder
{
    private static readonly JsonWriterOptions Options = new() { Encoder = InventoryJsonWriter.Encoder };

    private readonly ArrayBufferWriter<byte> _json = new(512);
    private readonly Utf8JsonWriter _writer;
    private readonly byte[] _digest = new byte[SHA256.HashSizeInBytes];
    private readonly char[] _hex = new char[32];
    private char[] _chars = new char[256];
    private byte[] _bytes = new byte[1024];

    public FindingEncoder() => _writer = new Utf8JsonWriter(_json, Options);

    /// <summary>The finding's JSON, as <see cref="FindingStore.Serialize"/> writes it, in UTF-8.</summary>
    public ReadOnlySpan<byte> Json => _json.WrittenSpan;

    /// <summary>The first 64 bits of the key: what a submission stores each finding once by.</summary>
    public ulong Short { get; private set; }

    /// <summary>The finding's partition bucket (<see cref="FindingEntity.BucketFor"/>): of the hostname, or without one of the key.</summary>
    public int Bucket { get; private set; }

    /// <summary>The key as text (only aggregated rows, which are few, need it as a string).</summary>
    public string Key => new(_hex);

    public void Encode(string? hostname, string product, string? version, long endpoints, long line)
    {
        // "HOST␟product␟version", null parts as NUL: the text TableKeys.Hash hashes, upper-cased into a reused buffer.
        var length = (hostname?.Length ?? 1) + product.Length + (version?.Length ?? 1) + 2;
        if (_chars.Length < length)
        {
            _chars = new char[Math.Max(length, _chars.Length * 2)];
        }

        var text = _chars.AsSpan(0, length);
        int hostChars;
        if (hostname is null)
        {
            text[0] = TableKeys.NullPart;
            hostChars = 1;
        }
        else
        {
            hostChars = hostname.AsSpan().ToUpperInvariant(text);
        }

        var at = hostChars;
        text[at++] = TableKeys.PartSeparator;
        product.AsSpan().CopyTo(text[at..]);
        at += product.Length;
        text[at++] = TableKeys.PartSeparator;
        if (version is null)
        {
            text[at] = TableKeys.NullPart;
        }
        else
        {
            version.AsSpan().CopyTo(text[at..]);
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(length);
        if (_bytes.Length < maxBytes)
        {
            _bytes = new byte[Math.Max(maxBytes, _bytes.Length * 2)];
        }

        // The host's part is encoded first and on its own, so its bytes also give its bucket (a hash of the name alone).
        var hostBytes = Encoding.UTF8.GetBytes(text[..hostChars], _bytes);
        var allBytes = hostBytes + Encoding.UTF8.GetBytes(text[hostChars..], _bytes.AsSpan(hostBytes));
        SHA256.HashData(_bytes.AsSpan(0, allBytes), _digest);
        Short = BinaryPrimitives.ReadUInt64BigEndian(_digest);
        Convert.TryToHexStringLower(_digest.AsSpan(0, 16), _hex, out _);

        // A host's finding goes to its name's bucket, an aggregated row to its key's (the key's first hex digit).
        if (hostname is not null)
        {
            SHA256.HashData(_bytes.AsSpan(0, hostBytes), _digest);
        }

        Bucket = _digest[0] >> 4;

        _json.ResetWrittenCount();
        _writer.Reset();
        _writer.WriteStartObject();
        _writer.WriteString("k"u8, _hex);
        WriteOrNull("h"u8, hostname);
        _writer.WriteString("p"u8, product);
        WriteOrNull("v"u8, version);
        _writer.WriteNumber("e"u8, endpoints);
        _writer.WriteNumber("l"u8, line);
        _writer.WriteEndObject();
        _writer.Flush();
    }

    private void WriteOrNull(ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            _writer.WriteNull(name);
        }
        else
        {
            _writer.WriteString(name, value);
        }
    }
}
