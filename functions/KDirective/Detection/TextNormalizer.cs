using System.Globalization;
using System.Text;

namespace KDirective.Detection;

/// <summary>
/// Undoes the look-alike tricks that hide a name from whole-token matching: compatibility forms (fullwidth
/// <c>Ｋａｓｐｅｒｓｋｙ</c>, mathematical letters), invisible characters inside a word (zero-width, soft hyphen, word
/// joiner, bidi controls, variation selectors), accents on letters (<c>Kåspersky</c>, <c>Kaspérsky</c>), and Cyrillic or
/// Greek letters standing in for Latin ones.
/// </summary>
/// <remarks>
/// The confusables step is a small hand-built subset of Unicode UTS #39's skeleton: only the Cyrillic and Greek
/// letters that look like Latin ones, applied to a token that mixes Latin with them, or to a token written wholly
/// in such letters. A genuine Russian word keeps its own letters (it contains letters such as п, л, г, ж that have
/// no Latin twin), so it still matches the catalog's Russian patterns.
/// </remarks>
internal static class TextNormalizer
{
    private static readonly Dictionary<char, char> LatinTwins = BuildTwins();

    /// <summary>Canonical composition only (NFC): a decomposed name from a macOS export is not obfuscation.</summary>
    public static string Canonical(string value) => Normalize(value, NormalizationForm.FormC) ?? value;

    /// <summary>The value with every look-alike trick undone, or null when that changes nothing.</summary>
    public static string? Deobfuscate(string value)
    {
        var compatible = Normalize(value, NormalizationForm.FormKC) ?? value;
        // Decomposed, so that an accent is a mark of its own and goes with the invisible characters: the brand carries
        // none, and a brand name that does was written to slip past a list. (This step runs only after the value as
        // written matched nothing, so a catalog word with an accent still matches a value that spells it the same.)
        var decomposed = Normalize(compatible, NormalizationForm.FormD) ?? compatible;
        var visible = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (!IsHiding(rune))
            {
                visible.Append(rune.ToString());
            }
        }

        var skeleton = Skeleton(Canonical(visible.ToString()));
        return skeleton == value ? null : skeleton;
    }

    /// <summary>
    /// Characters that render as nothing, or only as a mark on the letter before them, so inside a word they only hide
    /// it from a token matcher: format characters (zero-width, soft hyphen, word joiner, bidi controls), controls,
    /// nonspacing marks (accents once decomposed, variation selectors, the combining grapheme joiner), and the Hangul
    /// fillers, letters that show as blank space. (The other two fillers, U+3164 and the halfwidth U+FFA0, reach this
    /// check as U+1160: compatibility composition has mapped them.) The Braille blank, U+2800, is a symbol that shows
    /// as blank space too.
    /// </summary>
    private static bool IsHiding(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.NonSpacingMark
        || rune.Value is 0x115F or 0x1160 or 0x2800;

    private static string? Normalize(string value, NormalizationForm form)
    {
        try
        {
            return value.IsNormalized(form) ? null : value.Normalize(form);
        }
        catch (ArgumentException)
        {
            return null; // an unpaired surrogate: leave the value as it is
        }
    }

    /// <summary>Replaces look-alike letters in each token that mixes scripts or consists only of look-alikes.</summary>
    private static string Skeleton(string value)
    {
        var chars = value.ToCharArray();
        var start = -1;
        for (var i = 0; i <= chars.Length; i++)
        {
            var inToken = i < chars.Length && char.IsLetterOrDigit(chars[i]);
            if (inToken && start < 0)
            {
                start = i;
            }
            else if (!inToken && start >= 0)
            {
                MapToken(chars.AsSpan(start, i - start));
                start = -1;
            }
        }

        return new string(chars);
    }

    private static void MapToken(Span<char> token)
    {
        var latin = false;
        var twins = 0;
        var others = 0;
        foreach (var c in token)
        {
            if (char.IsAsciiLetter(c))
            {
                latin = true;
            }
            else if (LatinTwins.ContainsKey(c))
            {
                twins++;
            }
            else if (!char.IsAsciiDigit(c))
            {
                others++;
            }
        }

        var mixed = latin && twins > 0;
        var wholeLookAlike = !latin && others == 0 && twins > 1;
        if (!mixed && !wholeLookAlike)
        {
            return;
        }

        for (var i = 0; i < token.Length; i++)
        {
            if (LatinTwins.TryGetValue(token[i], out var twin))
            {
                token[i] = twin;
            }
        }
    }

    private static Dictionary<char, char> BuildTwins()
    {
        // Cyrillic, then Greek: letter and its Latin twin, lower case (tokens are compared lower-cased).
        const string pairs =
            "аaвbеeкkмmнhоoрpсcтtуyхxѕsіiјjԁdԛqԝwһhӏlАaВbЕeКkМmНhОoРpСcТtУyХxЅsІiЈjҮyӀl"
            + "αaοoρpνvκkτtυuιiχxϲcϳjΑaΒbΕeΖzΗhΙiΚkΜmΝnΟoΡpΤtΥyΧxϹc";
        var map = new Dictionary<char, char>();
        for (var i = 0; i < pairs.Length; i += 2)
        {
            map[pairs[i]] = pairs[i + 1];
        }

        return map;
    }
}
