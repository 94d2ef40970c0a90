namespace KDirective.Storage;

/// <summary>Makes an upload-derived value safe for a log line: no control characters (no forged lines), bounded length.</summary>
public static class LogSafe
{
    public static string Of(string? value, int max = 200)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var shown = value.Length > max ? value[..max] + "…" : value;
        return string.Create(shown.Length, shown, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '\uFFFD' : source[i];
            }
        });
    }
}
