using System.Buffers;
using System.Collections.Frozen;
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
        if (Brands.Count == 0)
        {
            throw new FormatException("A product catalog needs at least one 'brand' row.");
        }

        // Every value that can match contains one of these strings, whatever its case: most inventory
        // rows are other vendors' software, and this lets them through without being tokenized.
        // Most inventory rows are other vendors' software. These let them through without being tokenized:
        // a brand appears anywhere in a value, a package name only as the first token of a product name,
        // and a value with non-ASCII characters (Cyrillic, say) gets the full check when the catalog needs it.
        var brandTriggers = Brands.SelectMany(r => r.Pattern.LeadingTokens).Distinct().ToArray();
        BrandTriggers = SearchValues.Create(brandTriggers.Where(t => Ascii.IsValid(t)).ToArray(), StringComparison.OrdinalIgnoreCase);
        PackageFirstTokens = Packages.SelectMany(r => r.Pattern.LeadingTokens).ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        HasNonAsciiTriggers = brandTriggers.Any(t => !Ascii.IsValid(t));
        var packageTokens = Packages.SelectMany(r => r.Pattern.LeadingTokens).ToArray();
        PackageFirstBytes = SearchValues.Create(packageTokens.Where(t => Ascii.IsValid(t))
            .SelectMany(t => new[] { (byte)char.ToLowerInvariant(t[0]), (byte)char.ToUpperInvariant(t[0]) }).Distinct().ToArray());
        AsciiBrandTriggerBytes = brandTriggers.Where(t => Ascii.IsValid(t)).Select(t => Encoding.ASCII.GetBytes(t)).ToArray();
        AsciiBrandFirstBytes = SearchValues.Create(AsciiBrandTriggerBytes.SelectMany(t => new[] { (byte)char.ToLowerInvariant((char)t[0]), (byte)char.ToUpperInvariant((char)t[0]) }).Distinct().ToArray());
    }

    internal IReadOnlyList<CatalogRule> Brands { get; }

    internal IReadOnlyList<CatalogRule> Exclusions { get; }

    internal IReadOnlyList<CatalogRule> Packages { get; }

    internal IReadOnlyList<CatalogRule> Products { get; }

    internal SearchValues<string> BrandTriggers { get; }

    internal FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> PackageFirstTokens { get; }

    internal bool HasNonAsciiTriggers { get; }

    internal SearchValues<byte> PackageFirstBytes { get; }

    internal byte[][] AsciiBrandTriggerBytes { get; }

    internal SearchValues<byte> AsciiBrandFirstBytes { get; }

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

            if (!Enum.GetNames<CatalogRuleKind>().Contains(cells[0].Trim(), StringComparer.OrdinalIgnoreCase) ||
                !Enum.TryParse<CatalogRuleKind>(cells[0].Trim(), ignoreCase: true, out var kind))
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

    private static ProductCatalog LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedName)
            ?? throw new InvalidOperationException($"The embedded resource {EmbeddedName} is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
