using CsvHelper;

namespace KDirective.Inventory;

/// <summary>Records whose quoted field spans lines: joined when the quote closes into one good record, else undone.</summary>
internal sealed partial class RowReader
{
    private CsvMalformedReason? _nestedMalformed;

    /// <summary>The quote closed: the joined lines are one record if they read as one with the header's field count.</summary>
    private void ResolveJoin()
    {
        var joined = _joiner.Joined();
        using var nested = CsvReader.Create(joined, NestedOptions(allowLineBreaks: true));
        _nestedMalformed = null;
        if (nested.Read() && _nestedMalformed is null && nested.FieldCount == file.Columns!.FieldCount)
        {
            var line = _joiner.Lines[0].Line;
            _joiner.Clear();
            Row(nested, line, joined, malformed: null);
            return;
        }

        UndoJoin();
    }

    /// <summary>
    /// The quote opened on the first line never closes into a good record: that line is rejected (naming the line
    /// where the quote opened) and every later line is read as a record of its own.
    /// </summary>
    private void UndoJoin()
    {
        var lines = _joiner.Lines.ToArray();
        _joiner.Clear();
        _rowsRead++;
        Reject(lines[0].Line, "a quoted field opens on this line and is never closed; the lines after it are read on their own", lines[0].Bytes);
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
