namespace KDirective.Detection;

/// <summary>
/// A catalog pattern: alternatives separated by <c>|</c>, each a conjunction (<c>&amp;</c>) of phrases, each phrase
/// tokens that must stand next to each other. A token ending in <c>*</c> matches by prefix.
/// </summary>
internal sealed class TokenPattern
{
    private readonly string[][][] _alternatives;

    private TokenPattern(string[][][] alternatives, string text)
    {
        _alternatives = alternatives;
        Text = text;
    }

    public string Text { get; }

    /// <summary>The first token of every phrase, for a cheap pre-filter of values that cannot match.</summary>
    public IEnumerable<string> LeadingTokens =>
        _alternatives.SelectMany(conjunction => conjunction).Select(phrase => phrase[0].TrimEnd('*'));

    /// <summary>
    /// The token each alternative must begin with to be a prefix of a value (<see cref="IsPrefixOf"/>), as written:
    /// ending in <c>*</c> when it matches by prefix.
    /// </summary>
    public IEnumerable<string> StartTokens => _alternatives.Select(conjunction => conjunction[0][0]);

    public static TokenPattern Parse(string text)
    {
        var alternatives = text.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(alternative => alternative
                .Split('&', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(ParsePhrase)
                .ToArray())
            .ToArray();
        if (alternatives.Length == 0 || alternatives.Any(a => a.Length == 0 || a.Any(p => p.Length == 0)))
        {
            throw new FormatException($"Empty catalog pattern '{text}'.");
        }

        return new TokenPattern(alternatives, text);
    }

    public bool IsMatch(string[] tokens) => _alternatives.Any(conjunction => conjunction.All(phrase => IndexOf(tokens, phrase) >= 0));

    /// <summary>
    /// Whether the tokens begin with the first phrase of one of the alternatives and hold its other phrases anywhere
    /// (for package names: "kesl &amp; gui" is a name that starts with kesl and also says gui).
    /// </summary>
    public bool IsPrefixOf(string[] tokens) =>
        _alternatives.Any(conjunction => IndexOf(tokens, conjunction[0]) == 0 && conjunction.Skip(1).All(phrase => IndexOf(tokens, phrase) >= 0));

    /// <summary>
    /// The tokens with every occurrence of every phrase of this pattern blanked (an empty token matches nothing), so
    /// what is left can be asked whether it still names the brand.
    /// </summary>
    public string[] Blanked(string[] tokens)
    {
        var kept = (string[])tokens.Clone();
        foreach (var phrase in _alternatives.SelectMany(conjunction => conjunction))
        {
            for (var start = 0; start + phrase.Length <= tokens.Length; start++)
            {
                if (MatchesAt(tokens, phrase, start))
                {
                    Array.Fill(kept, string.Empty, start, phrase.Length);
                }
            }
        }

        return kept;
    }

    private static string[] ParsePhrase(string phrase)
    {
        var tokens = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var token in tokens)
        {
            if (Tokens.Of(token.TrimEnd('*')) is not [var only] || only != token.TrimEnd('*'))
            {
                throw new FormatException($"Catalog token '{token}' must be lower-case letters and digits, optionally ending in '*'.");
            }
        }

        return tokens;
    }

    private static int IndexOf(string[] tokens, string[] phrase)
    {
        for (var start = 0; start + phrase.Length <= tokens.Length; start++)
        {
            if (MatchesAt(tokens, phrase, start))
            {
                return start;
            }
        }

        return -1;
    }

    private static bool MatchesAt(string[] tokens, string[] phrase, int start)
    {
        for (var j = 0; j < phrase.Length; j++)
        {
            if (!TokenMatches(tokens[start + j], phrase[j]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TokenMatches(string token, string pattern) =>
        pattern.EndsWith('*')
            ? token.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : token == pattern;
}
