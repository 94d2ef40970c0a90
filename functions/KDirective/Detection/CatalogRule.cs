namespace KDirective.Detection;

internal enum CatalogRuleKind
{
    Brand,
    Exclude,
    Package,
    Product,
}

/// <summary>One row of <c>catalog.tsv</c>.</summary>
internal sealed record CatalogRule(CatalogRuleKind Kind, TokenPattern Pattern, string? Canonical, int Line);
