using System.Text;

namespace KDirective.Detection;

/// <summary>Decides whether one installed-software entry is a banned product and, if so, which one.</summary>
public sealed class ProductMatcher(ProductCatalog catalog)
{
    public static ProductMatcher Default { get; } = new(ProductCatalog.Default);

    /// <summary>The canonical product name when the entry is banned, otherwise null.</summary>
    public string? Match(string? publisher, string? name) => Find(publisher, name)?.Product;

    /// <summary>
    /// The product when the entry is banned, otherwise null. Values are compared as written (in canonical Unicode
    /// composition) first; only when that finds nothing are look-alike characters undone, and a match found that way
    /// is flagged <see cref="CatalogMatch.Obfuscated"/>. ASCII values never reach the second step.
    /// </summary>
    public CatalogMatch? Find(string? publisher, string? name)
    {
        var plainPublisher = publisher is null || Ascii.IsValid(publisher) ? publisher : TextNormalizer.Canonical(publisher);
        var plainName = name is null || Ascii.IsValid(name) ? name : TextNormalizer.Canonical(name);
        if (MatchPlain(plainPublisher, plainName) is { } product)
        {
            return new CatalogMatch(product, Obfuscated: false);
        }

        var cleanPublisher = plainPublisher is null || Ascii.IsValid(plainPublisher) ? null : TextNormalizer.Deobfuscate(plainPublisher);
        var cleanName = plainName is null || Ascii.IsValid(plainName) ? null : TextNormalizer.Deobfuscate(plainName);
        if (cleanPublisher is null && cleanName is null)
        {
            return null;
        }

        return MatchPlain(cleanPublisher ?? plainPublisher, cleanName ?? plainName) is { } hidden
            ? new CatalogMatch(hidden, Obfuscated: true)
            : null;
    }

    private string? MatchPlain(string? publisher, string? name)
    {
        // Hot path: nearly every row is another vendor's and contains no trigger text at all.
        if (!MayMatch(publisher, isName: false) && !MayMatch(name, isName: true))
        {
            return null;
        }

        var publisherTokens = Tokens.Of(publisher);
        var nameTokens = Tokens.Of(name);
        var publisherIsBrand = IsBrand(publisherTokens);
        if (nameTokens.Length == 0)
        {
            // A name with no letter or digit: an ASCII export of a Cyrillic name ("????? ?????"), or "-" for none. The
            // publisher alone then says whose product it is.
            return publisherIsBrand && !string.IsNullOrWhiteSpace(name) ? $"{Fallback(publisher!)} (product name unreadable)" : null;
        }

        var publisherIsBlank = publisherTokens.Length == 0;
        if (publisherIsBrand || publisherIsBlank)
        {
            foreach (var package in catalog.Packages)
            {
                if (package.Pattern.IsPrefixOf(nameTokens))
                {
                    return package.Canonical;
                }
            }
        }

        if (!publisherIsBrand)
        {
            // Another company's product that names Kaspersky is banned, unless it only embeds Kaspersky technology.
            if (!IsBrand(nameTokens) || (!publisherIsBlank && IsExcluded(nameTokens)))
            {
                return null;
            }
        }

        foreach (var product in catalog.Products)
        {
            if (product.Pattern.IsMatch(nameTokens))
            {
                return product.Canonical;
            }
        }

        return Fallback(name!);
    }

    /// <summary>
    /// The pre-filter on the reader's UTF-8 bytes, so rows of other vendors' software are never turned into
    /// strings. False means <see cref="Match"/> would certainly return null.
    /// </summary>
    public bool MayMatch(ReadOnlySpan<byte> publisher, ReadOnlySpan<byte> name) =>
        MayMatchUtf8(publisher, isName: false) || MayMatchUtf8(name, isName: true);

    /// <summary>
    /// The pre-filter for a value that is not a product name (a hostname, a version, another column): false means it
    /// holds no brand trigger, so <see cref="Match"/> of it as a name with no publisher could only be a package name.
    /// </summary>
    internal bool MayNameBrand(ReadOnlySpan<byte> utf8) => MayMatchUtf8(utf8, isName: false);

    /// <summary>
    /// The pre-filter for a whole record of printable ASCII, in one pass: false when no byte of it could begin a brand
    /// trigger or a package token, so that <see cref="MayMatch(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> is false for
    /// every pair of its fields (each field's bytes are bytes of the record).
    /// </summary>
    internal bool MayMatchRecord(ReadOnlySpan<byte> printableAsciiRecord) => printableAsciiRecord.ContainsAny(catalog.AsciiLeadBytes);

    private bool MayMatchUtf8(ReadOnlySpan<byte> value, bool isName)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        if (!Ascii.IsValid(value))
        {
            return true; // rare: let the full check on strings decide
        }

        for (var at = value.IndexOfAny(catalog.AsciiBrandFirstBytes); at >= 0; at = Next(value, at))
        {
            foreach (var trigger in catalog.AsciiBrandTriggerBytes)
            {
                if (value.Length - at >= trigger.Length && Ascii.EqualsIgnoreCase(value.Slice(at, trigger.Length), trigger))
                {
                    return true;
                }
            }
        }

        if (!isName)
        {
            return false;
        }

        var start = 0;
        while (start < value.Length && !IsAsciiLetterOrDigit(value[start]))
        {
            start++;
        }

        var end = start;
        while (end < value.Length && IsAsciiLetterOrDigit(value[end]))
        {
            end++;
        }

        return end > start && catalog.PackageFirstBytes[value[start]] && IsPackageFirstToken(value[start..end]);
    }

    private int Next(ReadOnlySpan<byte> value, int at)
    {
        var next = value[(at + 1)..].IndexOfAny(catalog.AsciiBrandFirstBytes);
        return next < 0 ? -1 : at + 1 + next;
    }

    private static bool IsAsciiLetterOrDigit(byte b) => char.IsAsciiLetterOrDigit((char)b);

    private bool MayMatch(string? value, bool isName)
    {
        if (value is null)
        {
            return false;
        }

        var span = value.AsSpan();
        if (ContainsBrandTrigger(span) || (catalog.HasNonAsciiTriggers && !Ascii.IsValid(span)))
        {
            return true;
        }

        if (!isName)
        {
            return false;
        }

        var start = 0;
        while (start < span.Length && !char.IsLetterOrDigit(span[start]))
        {
            start++;
        }

        var end = start;
        while (end < span.Length && char.IsLetterOrDigit(span[end]))
        {
            end++;
        }

        return IsPackageFirstToken(span[start..end]);
    }

    private bool ContainsBrandTrigger(ReadOnlySpan<char> value)
    {
        foreach (var trigger in catalog.AsciiBrandTriggers)
        {
            if (value.Contains(trigger, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsPackageFirstToken(ReadOnlySpan<char> token)
    {
        foreach (var lead in catalog.PackageLeads)
        {
            if (lead.IsPrefix ? token.StartsWith(lead.Token, StringComparison.OrdinalIgnoreCase) : token.Equals(lead.Token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsPackageFirstToken(ReadOnlySpan<byte> token)
    {
        foreach (var lead in catalog.PackageLeads)
        {
            if (lead.AsciiBytes is { } bytes && (lead.IsPrefix
                    ? token.Length >= bytes.Length && Ascii.EqualsIgnoreCase(token[..bytes.Length], bytes)
                    : Ascii.EqualsIgnoreCase(token, bytes)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a name that names the brand only embeds Kaspersky technology: an exclusion matches, and the brand is
    /// named nowhere outside what the exclusions match ("Kaspersky Endpoint Security 12 with Kaspersky Security Center
    /// Network Agent", repackaged by an agency's team, is Kaspersky's; "Mail Gateway with Kaspersky Engine" is not).
    /// </summary>
    private bool IsExcluded(string[] nameTokens)
    {
        var rest = nameTokens;
        var excluded = false;
        foreach (var exclusion in catalog.Exclusions)
        {
            if (exclusion.Pattern.IsMatch(nameTokens))
            {
                excluded = true;
                rest = exclusion.Pattern.Blanked(rest);
            }
        }

        return excluded && !IsBrand(rest);
    }

    private bool IsBrand(string[] tokens) => tokens.Length > 0 && catalog.Brands.Any(b => b.Pattern.IsMatch(tokens));

    /// <summary>A branded product the catalog does not list: group it under its name without version numbers.</summary>
    private static string Fallback(string name)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(word => !word.Any(char.IsDigit));
        var cleaned = string.Join(' ', words);
        return cleaned.Length == 0 ? name.Trim() : cleaned;
    }
}
