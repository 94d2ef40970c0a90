using System.Buffers.Text;
using System.Text;
using CsvHelper;
using KDirective.Detection;

namespace KDirective.Inventory;

/// <summary>Turns the records of one file into validated rows, rejections and matches. Runs once per record.</summary>
internal sealed partial class RowReader(ProductMatcher matcher, FileState file, bool keepMatches, bool collectPending) : IDisposable
{
    /// <summary>More endpoints than any agency has: a larger count on one row is an error, not an estate.</summary>
    public const long MaxEndpointsPerRow = 10_000_000;

    /// <summary>Versions are kept per product; a longer one is not a version and is cut.</summary>
    private const int MaxVersionBytes = 64;

    private readonly SummaryBuilder _summary = new();
    private readonly MatchCache _matches = new(matcher);
    private readonly RecordFields _fields = new();
    private readonly PossibleFindings _possible = new(matcher);
    private readonly QuoteJoiner _joiner = new();
    private readonly Queue<(long Line, CsvMalformedReason Reason)> _malformed = new();
    private readonly List<InventoryMatch> _kept = [];
    private readonly List<Rejection> _rejections = [];
    private readonly bool _byteOriented = file.Encoding?.IsByteOriented() ?? true;
    private long _rowsRead;
    private long _rowsRejected;
    private long _firstLine;
    private bool _sawRecord;
    private bool _sawWindows1252;
    private bool _sawUtf8;
    private bool _hasOtherNames;

    /// <summary>True while <see cref="Row"/> reads a record joined over quoted line breaks: the only records that hold one.</summary>
    private bool _joinedRecord;

    /// <summary>Matches of the last <see cref="Read"/> for the sink (one record can give several when a join is undone).</summary>
    public List<InventoryMatch> Pending { get; } = [];

    /// <summary>Reads one record of the file.</summary>
    public void Read(CsvReader csv)
    {
        var line = csv.LineNumber;
        var malformed = TakeMalformed(line);
        if (file.Columns is null)
        {
            ReadHeader(csv, line);
            return;
        }

        var raw = csv.RawRecord;
        if (raw.Length > InventoryReader.MaxRecordBytes)
        {
            // The CSV reader's own limit is checked against its buffer, so a line just over it can get through.
            throw new InventoryRejectedException($"line {line}: {InventoryReader.RecordTooLarge}");
        }

        if (_joiner.IsOpen)
        {
            if (_joiner.TryAdd(line, raw))
            {
                if (_joiner.IsClosed)
                {
                    ResolveJoin();
                }

                return;
            }

            UndoJoin();
        }

        if (malformed is CsvMalformedReason.LineBreakInQuotes or CsvMalformedReason.UnterminatedQuote)
        {
            _joiner.Start(line, raw);
            if (_joiner.IsClosed)
            {
                ResolveJoin();
            }

            return;
        }

        Row(csv, line, raw, malformed);
    }

    /// <summary>The hosts and largest count seen, for the caller's coverage check.</summary>
    /// <summary>The file's distinct hosts (the caller disposes them) and its largest endpoint count, once it is read.</summary>
    public (FleetKeys Hosts, long LargestCount) TakeFleet() => (_summary.TakeHosts(), _summary.LargestCount);

    /// <summary>Deletes the temporary file of host keys, if the summary wrote one.</summary>
    public void Dispose() => _summary.Dispose();

    /// <summary>Called by the CSV reader for each malformed record, before the record is returned.</summary>
    public void OnMalformed(CsvMalformedRecord record) => _malformed.Enqueue((record.LineNumber, record.Reason));

    public InventoryReport Finish()
    {
        if (_joiner.IsOpen)
        {
            UndoJoin();
        }

        if (file.Columns is null)
        {
            throw new InventoryRejectedException(_sawRecord ? "the file has no header row" : "the file is empty");
        }

        if (_rowsRead == 0)
        {
            throw new InventoryRejectedException($"line {_firstLine}: the file has a header but no data rows");
        }

        var accepted = _rowsRejected < _rowsRead;
        var possibly = _possible.Count > 0 ? $"; {_possible.Count} rejected line(s) look like Kaspersky products (see possible findings)" : string.Empty;
        return new InventoryReport(
            file.Name, file.Columns.Format.Id, EncodingLabel(), file.Delimiter, accepted,
            accepted ? null : $"every one of the {_rowsRead} data rows was rejected; the first at line {_rejections[0].Line}: {_rejections[0].Reason}{possibly}",
            _rowsRead, _rowsRejected, _rejections,
            _summary.EndpointsScanned, _summary.EndpointsAffected, _summary.Findings, _kept)
        {
            PossibleFindings = _possible.Listed,
            PossibleFindingCount = _possible.Count,
        };
    }

    /// <summary>Per-row hot path: fields stay UTF-8 spans; only values that must be kept become strings.</summary>
    private void Row(CsvReader record, long line, ReadOnlySpan<byte> raw, CsvMalformedReason? malformed)
    {
        _rowsRead++;
        var columns = file.Columns!;
        if (malformed is { } reason)
        {
            Reject(line, Describe(reason), raw);
            return;
        }

        if (record.FieldCount != columns.FieldCount)
        {
            Reject(line, $"expected {columns.FieldCount} fields as in the header, found {record.FieldCount}", raw);
            return;
        }

        _fields.Load(record, raw, _byteOriented);
        _sawWindows1252 |= _fields.IsWindows1252;
        _sawUtf8 |= _fields.IsUtf8NonAscii;
        var name = _fields[columns.Name];
        if (name.IsEmpty && _hasOtherNames)
        {
            name = FirstOtherName();
        }

        if (name.IsEmpty)
        {
            Reject(line, "no product name", raw);
            return;
        }

        // A header again has a name where its version is (a version nearly always has a digit, so this rules out almost
        // every row for the price of one short scan), and a header name where its product name is.
        if (!_fields[columns.Version].ContainsAnyInRange((byte)'0', (byte)'9') && IsHeaderName(name) && HeaderAgain(line, raw))
        {
            return;
        }

        if (_fields.MayHaveControls && ControlIn(columns) is { } control)
        {
            Reject(line, control, raw);
            return;
        }

        long? count = null;
        if (columns.Count >= 0)
        {
            var countText = _fields[columns.Count];
            if (!countText.IsEmpty)
            {
                if (countText.ContainsAnyExceptInRange((byte)'0', (byte)'9') || !Utf8Parser.TryParse(countText, out long parsed, out _))
                {
                    Reject(line, $"endpoint count {Quote(Encoding.UTF8.GetString(countText))} is not a whole number", raw);
                    return;
                }

                if (parsed > MaxEndpointsPerRow)
                {
                    Reject(line, $"endpoint count {parsed} is more than one row can stand for ({MaxEndpointsPerRow})", raw);
                    return;
                }

                count = parsed;
            }
            else if (columns.Format.CountRequired)
            {
                Reject(line, "no endpoint count", raw);
                return;
            }
        }

        var host = columns.Host >= 0 ? _fields[columns.Host] : default;
        if (columns.Host >= 0 && host.IsEmpty && count is null)
        {
            Reject(line, columns.Count >= 0 ? "no hostname and no endpoint count" : "no hostname", raw);
            return;
        }

        if (!host.IsEmpty)
        {
            count = null; // a named host is one endpoint, whatever a count column says
        }

        var publisher = columns.Publisher >= 0 ? _fields[columns.Publisher] : default;
        if ((TooLong(name, host, publisher) ?? (_hasOtherNames ? OtherNameTooLong() : null)) is { } tooLong)
        {
            Reject(line, tooLong, raw);
            return;
        }

        _summary.AddRow(host, count);
        // Most rows name other vendors' software: one pass over the record rules them out before any field is looked at.
        var mayMatch = !_fields.IsPrintableAscii || matcher.MayMatchRecord(raw);
        var found = mayMatch ? _matches.Match(publisher, name) : null;
        if (found is null && mayMatch && _hasOtherNames)
        {
            found = MatchOtherNames(publisher, ref name);
        }

        if (found is null && _fields.IsWindows1252)
        {
            found = MatchAs(columns, Encoding.UTF8) ?? (TextEncodingKindExtensions.MayBeCyrillic(raw) ? MatchAs(columns, TextEncodingKindExtensions.Windows1251) : null);
        }

        // A joined record is looked at whatever it matched: a value with line breaks can hold more than the product it
        // belongs to. Its lines after the first are checked as a rejected line's are (every field, package names and
        // other decodings included), since a row of another host may hide in them.
        var possibleBefore = _possible.Count;
        if (_joinedRecord && raw.IndexOf((byte)'\n') is var firstBreak and >= 0)
        {
            _possible.Check(line + 1, raw[(firstBreak + 1)..], (byte)file.Delimiter![0]);
        }

        if (_possible.Count == possibleBefore && (found is null || _joinedRecord) && mayMatch && matcher.MayNameBrand(raw))
        {
            CheckOtherColumns(line, raw);
        }

        if (found is { } match)
        {
            var version = _fields[columns.Version];
            version = version[..Math.Min(version.Length, MaxVersionBytes)];
            _summary.AddMatch(match.Product, host, version, count ?? 1, match.Obfuscated);
            if (keepMatches || collectPending)
            {
                var kept = new InventoryMatch(line, Text(host), Text(publisher), Encoding.UTF8.GetString(name), Text(version), match.Product, count ?? 1, match.Obfuscated);
                if (keepMatches)
                {
                    _kept.Add(kept);
                }

                if (collectPending)
                {
                    Pending.Add(kept);
                }
            }
        }
    }

    private ReadOnlySpan<byte> FirstOtherName()
    {
        foreach (var index in file.Columns!.OtherNames)
        {
            var other = _fields[index];
            if (!other.IsEmpty)
            {
                return other;
            }
        }

        return default;
    }

    /// <summary>
    /// The safety net under every way a file can put a banned product where the product columns are not: a second
    /// header in another order, a publisher under a name no format knows (Company, Vendor beside an empty Publisher),
    /// a row that a quoted value hid in a hostname. A row whose product columns name nothing banned, but whose other
    /// columns hold a Kaspersky brand name, is listed as a possible finding. (Package names such as kesl are looked for
    /// only in product columns: in a hostname they are too likely to be something else.)
    /// </summary>
    private void CheckOtherColumns(long line, ReadOnlySpan<byte> raw)
    {
        var columns = file.Columns!;
        for (var i = 0; i < _fields.FieldCount; i++)
        {
            if (i == columns.Name || i == columns.Publisher || columns.OtherNames.Contains(i))
            {
                continue;
            }

            var field = _fields[i];
            if (!field.IsEmpty && matcher.MayNameBrand(field) && matcher.Find(null, Encoding.UTF8.GetString(field)) is { } match)
            {
                _possible.Add(line, match.Product, raw);
                return;
            }
        }
    }

    /// <summary>
    /// A record that is not valid UTF-8 has its invalid fields read as Windows-1252, which then match nothing and have
    /// no control character to be rejected for, in two cases: a UTF-8 name with one stray byte (<c>Kаspersky
    /// Anti-Virus</c> with a Cyrillic а, then a Windows-1252 ®), matched again as UTF-8 with the bad bytes replaced;
    /// and a Windows-1251 export from a Russian-language system (<c>Антивирус Касперского</c>), matched again as
    /// Windows-1251.
    /// </summary>
    private CatalogMatch? MatchAs(ColumnMap columns, Encoding encoding)
    {
        var publisher = columns.Publisher >= 0 ? Decode(_fields.Raw(columns.Publisher)) : null;
        foreach (var index in columns.OtherNames.Prepend(columns.Name))
        {
            if (Decode(_fields.Raw(index)) is { } name && matcher.Find(publisher, name) is { } match)
            {
                return match;
            }
        }

        return null;

        string? Decode(ReadOnlySpan<byte> raw) => raw.IsEmpty ? null : encoding.GetString(raw);
    }

    /// <summary>
    /// An alternative product-name column over the limit rejects the row as the first one does: it is checked for a
    /// banned name like the others, so it cannot be passed over unread (the rejected line is a possible finding).
    /// </summary>
    private string? OtherNameTooLong()
    {
        var columns = file.Columns!;
        foreach (var index in columns.OtherNames)
        {
            if (IsTooLong(_fields[index]))
            {
                return $"product name (column {index + 1}) is longer than {InventoryReader.MaxValueLength} characters";
            }
        }

        return null;
    }

    /// <summary>Every alternative product-name column is checked, not only the first present.</summary>
    private CatalogMatch? MatchOtherNames(ReadOnlySpan<byte> publisher, ref ReadOnlySpan<byte> name)
    {
        foreach (var index in file.Columns!.OtherNames)
        {
            var other = _fields[index];
            if (!other.IsEmpty && _matches.Match(publisher, other) is { } match)
            {
                name = other;
                return match;
            }
        }

        return null;
    }

    private string? ControlIn(ColumnMap columns)
    {
        (int Index, string Role)[] roles =
            [(columns.Name, "product name"), (columns.Host, "hostname"), (columns.Publisher, "publisher"), (columns.Version, "version"), (columns.Count, "endpoint count")];
        foreach (var (index, role) in roles.Concat(columns.OtherNames.Select(i => (i, "product name"))))
        {
            if (index >= 0 && RecordFields.FindControl(_fields[index]) is { } rune)
            {
                return $"a control character (U+{rune.Value:X4}) in the {role}";
            }
        }

        return null;
    }

    private CsvMalformedReason? TakeMalformed(long line)
    {
        while (_malformed.Count > 0 && _malformed.Peek().Line < line)
        {
            _malformed.Dequeue();
        }

        return _malformed.Count > 0 && _malformed.Peek().Line == line ? _malformed.Dequeue().Reason : null;
    }

    private void Reject(long line, string reason, ReadOnlySpan<byte> raw)
    {
        _rowsRejected++;
        if (_rejections.Count < InventoryReport.MaxRejectionsListed)
        {
            _rejections.Add(new Rejection(line, reason));
        }

        _possible.Check(line, raw, (byte)file.Delimiter![0]);
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a field",
        CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.LineBreakInQuotes => "a quoted field that is never closed",
        CsvMalformedReason.FieldCountMismatch => "the wrong number of fields",
        _ => reason.ToString(),
    };

    private string EncodingLabel()
    {
        var kind = file.Encoding ?? TextEncodingKind.Utf8;
        if (!kind.IsByteOriented() || !_sawWindows1252)
        {
            return kind.IsByteOriented() && kind != TextEncodingKind.Utf8Bom ? TextEncodingKind.Utf8.Label() : kind.Label();
        }

        return !_sawUtf8 && kind != TextEncodingKind.Utf8Bom
            ? TextEncodingKind.Windows1252.Label()
            : $"{(kind == TextEncodingKind.Utf8Bom ? kind : TextEncodingKind.Utf8).Label()}+{TextEncodingKind.Windows1252.Label()}";
    }

    private static string? Text(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? null : Encoding.UTF8.GetString(utf8);

    private static string? TooLong(ReadOnlySpan<byte> name, ReadOnlySpan<byte> host, ReadOnlySpan<byte> publisher) =>
        IsTooLong(name) ? $"product name is longer than {InventoryReader.MaxValueLength} characters"
        : IsTooLong(host) ? $"hostname is longer than {InventoryReader.MaxValueLength} characters"
        : IsTooLong(publisher) ? $"publisher is longer than {InventoryReader.MaxValueLength} characters"
        : null;

    // A UTF-8 value has at least as many bytes as characters: count characters only when the bytes are many.
    private static bool IsTooLong(ReadOnlySpan<byte> utf8) =>
        utf8.Length > InventoryReader.MaxValueLength && Encoding.UTF8.GetCharCount(utf8) > InventoryReader.MaxValueLength;

    /// <summary>Quotes a value from the upload for a message: short, with control characters made visible.</summary>
    internal static string Quote(string value) => $"'{Storage.LogSafe.Of(value, 40)}'";
}
