namespace KDirective.Storage;

/// <summary>
/// Makes an upload-derived value safe for a log line or a terminal: no control characters (no forged lines, no
/// escape sequences) and no bidi controls (no text shown reversed), bounded length. Control characters become U+FFFD.
/// </summary>
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
                span[i] = IsUnsafe(source[i]) ? '\uFFFD' : source[i];
            }
        });
    }

    /// <summary>
    /// Characters that must not reach a log or terminal as they are: C0 and C1 controls, and invisible format
    /// characters (bidi overrides that show text reversed, zero-width characters that hide inside a word).
    /// </summary>
    public static bool IsUnsafe(char c) =>
        char.IsControl(c) || (c > '\u00AC' && char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
}
