using System.Buffers;
using System.Text;
using System.Reflection;

namespace KDirective.Detection;

/// <summary>The banned-vendor catalog, loaded from tab-separated data (by default the embedded one, catalog.tsv).</summary>
public sealed class ProductCatalog
{
    private const string EmbeddedName = "KDirective.Detection.catalog.tsv";

    private ProductCatalog(IReadOnlyList<CatalogRule> rules)
    {
        Brands = rules.Where(r => r.Kind == CatalogRuleKind.Brand).ToArray();
        Exclusions = rules.Where(r => r.Kind == CatalogRuleKind.Exclude).ToArray();
        Packages = rules.Where(r => r.Kind == CatalogRuleKind.Package).ToArray();
        Products = rules.Where(r => r.Kind == CatalogRuleKind.Product).ToArray();
        // Most inventory rows are other vendors' software. These let them through without being tokenized:
        // a brand appears anywhere in a value, a package name only as the first token of a product name,
        // and a value with non-ASCII characters (Cyrillic, say) gets the full check when the catalog needs it.
        // Built with plain loops and arrays: generic collections and LINQ over bytes would be compiled at start-up
        // in every process, which was a measurable part of a small file's `inspect` (README, Performance).
        var asciiBrandTriggers = new List<string>();
        foreach (var trigger in LeadingTokens(Brands))
        {
            if (!Ascii.IsValid(trigger))
            {
                HasNonAsciiTriggers = true;
            }
            else if (!asciiBrandTriggers.Contains(trigger, StringComparer.OrdinalIgnoreCase))
            {
                asciiBrandTriggers.Add(trigger);
            }
        }

        AsciiBrandTriggers = [.. asciiBrandTriggers];
        AsciiBrandTriggerBytes = new byte[AsciiBrandTriggers.Length][];
        var brandFirstBytes = new bool[128];
        for (var i = 0; i < AsciiBrandTriggers.Length; i++)
        {
            AsciiBrandTriggerBytes[i] = Encoding.ASCII.GetBytes(AsciiBrandTriggers[i]);
            MarkBothCases(brandFirstBytes, AsciiBrandTriggers[i][0]);
        }

        AsciiBrandFirstBytes = SearchValues.Create(BytesMarked(brandFirstBytes));

        // A package counts only as the first token of a product name, so the pre-filter needs each alternative's
        // first token, and whether it matches by prefix ("kes*" must let "kesl" through).
        var packageLeads = new List<PackageLead>();
        PackageFirstBytes = new bool[128];
        foreach (var rule in Packages)
        {
            foreach (var written in rule.Pattern.StartTokens)
            {
                var token = written.TrimEnd('*');
                var isPrefix = written.Length > token.Length;
                var known = false;
                foreach (var lead in packageLeads)
                {
                    known |= lead.IsPrefix == isPrefix && lead.Token.Equals(token, StringComparison.OrdinalIgnoreCase);
                }

                if (!known)
                {
                    packageLeads.Add(new PackageLead(token, Ascii.IsValid(token) ? Encoding.ASCII.GetBytes(token) : null, isPrefix));
                }

                MarkBothCases(PackageFirstBytes, token[0]);
            }
        }

        PackageLeads = [.. packageLeads];

        var leadBytes = new bool[128];
        for (var b = 0; b < leadBytes.Length; b++)
        {
            leadBytes[b] = brandFirstBytes[b] || PackageFirstBytes[b];
        }

        AsciiLeadBytes = SearchValues.Create(BytesMarked(leadBytes));
    }

    internal IReadOnlyList<CatalogRule> Brands { get; }

    internal IReadOnlyList<CatalogRule> Exclusions { get; }

    internal IReadOnlyList<CatalogRule> Packages { get; }

    internal IReadOnlyList<CatalogRule> Products { get; }

    /// <summary>The ASCII brand triggers (first tokens of the brand patterns), each once whatever its case.</summary>
    internal string[] AsciiBrandTriggers { get; }

    /// <summary>The tokens a package name can begin with (see <see cref="TokenPattern.StartTokens"/>), each once whatever its case.</summary>
    internal PackageLead[] PackageLeads { get; }

    internal bool HasNonAsciiTriggers { get; }

    /// <summary>Indexed by an ASCII byte: whether a package token starts with it (either case).</summary>
    internal bool[] PackageFirstBytes { get; }

    internal byte[][] AsciiBrandTriggerBytes { get; }

    internal SearchValues<byte> AsciiBrandFirstBytes { get; }

    /// <summary>Every byte an ASCII brand trigger or package token begins with, in either case.</summary>
    internal SearchValues<byte> AsciiLeadBytes { get; }

    public static ProductCatalog Default { get; } = LoadEmbedded();

    /// <summary>How many rows of each kind, for <c>kdirective catalog check</c>.</summary>
    public (int Brands, int Exclusions, int Packages, int Products) Counts => (Brands.Count, Exclusions.Count, Packages.Count, Products.Count);

    /// <summary>Reads catalog rows; a bad row fails with <paramref name="source"/>, its line and the reason.</summary>
    public static ProductCatalog Parse(TextReader reader, string source = "Catalog")
    {
        var rules = new List<CatalogRule>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var cells = line.Split('\t');
            if (cells.Length < 2)
            {
                throw new FormatException($"{source} line {lineNumber}: expected 'kind<TAB>pattern[<TAB>canonical product]' (is the separator a tab?).");
            }

            if (KindOf(cells[0].Trim()) is not { } kind)
            {
                throw new FormatException($"{source} line {lineNumber}: unknown kind '{cells[0].Trim()}' (expected brand, exclude, package or product).");
            }

            var canonical = cells.Length > 2 && !string.IsNullOrWhiteSpace(cells[2]) ? cells[2].Trim() : null;
            if (kind is CatalogRuleKind.Package or CatalogRuleKind.Product && canonical is null)
            {
                throw new FormatException($"{source} line {lineNumber}: a {cells[0].Trim()} row needs a canonical product name.");
            }

            try
            {
                rules.Add(new CatalogRule(kind, TokenPattern.Parse(cells[1]), canonical, lineNumber));
            }
            catch (FormatException e)
            {
                throw new FormatException($"{source} line {lineNumber}: {e.Message}", e);
            }
        }

        if (!rules.Any(r => r.Kind == CatalogRuleKind.Brand))
        {
            throw new FormatException($"{source}: no 'brand' row; a catalog needs at least one.");
        }

        return new ProductCatalog(rules);
    }

    private static CatalogRuleKind? KindOf(string word) => word.ToLowerInvariant() switch
    {
        "brand" => CatalogRuleKind.Brand,
        "exclude" => CatalogRuleKind.Exclude,
        "package" => CatalogRuleKind.Package,
        "product" => CatalogRuleKind.Product,
        _ => null,
    };

    private static IEnumerable<string> LeadingTokens(IReadOnlyList<CatalogRule> rules)
    {
        foreach (var rule in rules)
        {
            foreach (var token in rule.Pattern.LeadingTokens)
            {
                yield return token;
            }
        }
    }

    private static void MarkBothCases(bool[] asciiBytes, char first)
    {
        if (char.IsAscii(first))
        {
            asciiBytes[char.ToLowerInvariant(first)] = asciiBytes[char.ToUpperInvariant(first)] = true;
        }
    }

    private static byte[] BytesMarked(bool[] asciiBytes)
    {
        var marked = new byte[asciiBytes.Length];
        var count = 0;
        for (var b = 0; b < asciiBytes.Length; b++)
        {
            if (asciiBytes[b])
            {
                marked[count++] = (byte)b;
            }
        }

        return marked[..count];
    }

    private static ProductCatalog LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedName)
            ?? throw new InvalidOperationException($"The embedded resource {EmbeddedName} is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}

/// <summary>A token a package name can begin with: <paramref name="AsciiBytes"/> for the reader's byte pre-filter (null
/// when the token is not ASCII, which an ASCII value cannot begin with), and whether it matches by prefix.</summary>
internal sealed record PackageLead(string Token, byte[]? AsciiBytes, bool IsPrefix);
