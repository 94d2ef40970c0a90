using CsvHelper;

namespace KDirective.Inventory;

/// <summary>Records whose quoted field spans lines: joined when the quote closes into one good record, else undone.</summary>
internal sealed partial class RowReader
{
    private CsvMalformedReason? _nestedMalformed;

    /// <summary>
    /// The quote closed: the joined lines are one record if they read as one with the header's field count, and if no
    /// line after the first looks like a row of its own. A stray quote that a later stray quote closes can otherwise
    /// make whole rows one value (a version, a hostname): a line after the first that names a banned product, or
    /// that reads on its own as a record with the header's field count, undoes the join, so those rows are read.
    /// </summary>
    private void ResolveJoin()
    {
        var joined = _joiner.Joined();
        using var nested = CsvReader.Create(joined, NestedOptions(allowLineBreaks: true));
        _nestedMalformed = null;
        if (nested.Read() && _nestedMalformed is null && nested.FieldCount == file.Columns!.FieldCount)
        {
            var last = _joiner.Lines[^1].Line;
            if (RowInside() is { } inside)
            {
                // (Never the last line: a well-formed line has an even number of quotes, and the last one closes the quote.)
                UndoJoin($"a quoted field opens on this line and closes on line {last}, but line {inside} between holds a row of its own; the lines after it are read on their own");
                return;
            }

            // A line of the join that names a banned product the joined record does not: the join has hidden it in
            // another column ("PC-K,Kaspersky Lab,… then PC-2",…, or whole rows in a version).
            if (NamedOutside(nested) is { } named)
            {
                UndoJoin($"a quoted field opens on this line and closes on line {last}, which would hide the banned product line {named} names; the lines after it are read on their own");
                return;
            }

            var line = _joiner.Lines[0].Line;
            _joiner.Clear();
            _joinedRecord = true;
            Row(nested, line, joined, malformed: null);
            _joinedRecord = false;
            return;
        }

        UndoJoin();
    }

    /// <summary>Whether the joined record's product-name columns, with its publisher, name a banned product.</summary>
    private bool Matches(CsvReader record)
    {
        var columns = file.Columns!;
        var publisher = columns.Publisher >= 0 ? RecordFields.Decode(record.GetSpan(columns.Publisher)) : null;
        foreach (var index in columns.OtherNames.Prepend(columns.Name))
        {
            if (matcher.Find(publisher, RecordFields.Decode(record.GetSpan(index))) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first line after the first of a join that reads on its own as a complete, well-formed record with the
    /// header's field count; null when none does.
    /// </summary>
    private long? RowInside()
    {
        foreach (var (line, bytes) in _joiner.Lines.Skip(1))
        {
            using var alone = CsvReader.Create(bytes, NestedOptions(allowLineBreaks: false));
            _nestedMalformed = null;
            if (alone.Read() && _nestedMalformed is null && alone.FieldCount == file.Columns!.FieldCount)
            {
                return line;
            }
        }

        return null;
    }

    /// <summary>
    /// The first line of a join that names a banned product (checked field by field, as a rejected line is) when the
    /// joined record's product columns name none; null otherwise. A Kaspersky row whose publisher spans two lines
    /// stays one record.
    /// </summary>
    private long? NamedOutside(CsvReader joined)
    {
        var separator = (byte)file.Delimiter![0];
        foreach (var (line, bytes) in _joiner.Lines)
        {
            if (_possible.Find(bytes, separator) is not null)
            {
                return Matches(joined) ? null : line;
            }
        }

        return null;
    }

    /// <summary>
    /// The quote opened on the first line never closes into a good record: that line is rejected (naming the line
    /// where the quote opened) and every later line is read as a record of its own.
    /// </summary>
    private void UndoJoin(string reason = "a quoted field opens on this line and is never closed; the lines after it are read on their own")
    {
        var lines = _joiner.Lines.ToArray();
        _joiner.Clear();
        _rowsRead++;
        Reject(lines[0].Line, reason, lines[0].Bytes);
        foreach (var (line, bytes) in lines.Skip(1))
        {
            using var nested = CsvReader.Create(bytes, NestedOptions(allowLineBreaks: false));
            _nestedMalformed = null;
            if (nested.Read())
            {
                Row(nested, line, bytes, _nestedMalformed);
            }
        }
    }

    private CsvReaderOptions NestedOptions(bool allowLineBreaks) => new()
    {
        HasHeader = false,
        Separator = file.Delimiter![0],
        AllowLineBreaksInQuotes = allowLineBreaks,
        SkipEmptyLines = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        OnMalformedRecord = record => _nestedMalformed ??= record.Reason,
    };
}
