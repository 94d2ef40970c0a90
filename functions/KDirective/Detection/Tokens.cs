namespace KDirective.Detection;

/// <summary>Splits a value into lower-case runs of letters and digits, the unit every catalog pattern matches.</summary>
internal static class Tokens
{
    public static string[] Of(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var tokens = new List<string>(8);
        var span = value.AsSpan();
        var start = -1;
        for (var i = 0; i <= span.Length; i++)
        {
            var inToken = i < span.Length && char.IsLetterOrDigit(span[i]);
            if (inToken && start < 0)
            {
                start = i;
            }
            else if (!inToken && start >= 0)
            {
                tokens.Add(span[start..i].ToString().ToLowerInvariant());
                start = -1;
            }
        }

        return [.. tokens];
    }
}
