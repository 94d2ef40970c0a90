using System.Runtime.CompilerServices;

namespace KDirective.Ingestion;

/// <summary>
/// One shared product list per combination of products, so that hosts carrying the same products (83,000 hosts and a
/// handful of combinations at 10M rows) cost one array between them, and a spilled host can store its combination's number.
/// </summary>
internal sealed class ProductCombinations
{
    private readonly Dictionary<string, string[]> _byKey = new(StringComparer.Ordinal);

    // A shared combination and one more product -> the shared combination of both, so a host's next product is found
    // without building the combined list and its key again (they were two allocations per affected host).
    private readonly Dictionary<(string[] Products, string Product), string[]> _next = new(Step.Comparer);

    /// <summary>The shared combination of <paramref name="products"/> and the products of <paramref name="more"/> it lacks.</summary>
    public string[] Union(string[] products, string[] more)
    {
        foreach (var product in more)
        {
            if (Array.IndexOf(products, product) < 0)
            {
                products = With(products, product);
            }
        }

        return products;
    }

    /// <summary>The shared combination of <paramref name="products"/> (itself shared, or the empty list) and one more, in ordinal order.</summary>
    public string[] With(string[] products, string product)
    {
        if (_next.TryGetValue((products, product), out var next))
        {
            return next;
        }

        string[] combined = [.. products, product];
        Array.Sort(combined, StringComparer.Ordinal);
        var key = string.Join('\u001F', combined);
        if (!_byKey.TryGetValue(key, out next))
        {
            next = combined;
            _byKey.Add(key, next);
        }

        _next.Add((products, product), next);
        return next;
    }

    /// <summary>Compares a combination by reference (every one is shared) and a product by its characters.</summary>
    private sealed class Step : IEqualityComparer<(string[] Products, string Product)>
    {
        public static readonly Step Comparer = new();

        public bool Equals((string[] Products, string Product) x, (string[] Products, string Product) y) =>
            ReferenceEquals(x.Products, y.Products) && string.Equals(x.Product, y.Product, StringComparison.Ordinal);

        public int GetHashCode((string[] Products, string Product) step) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(step.Products), StringComparer.Ordinal.GetHashCode(step.Product));
    }
}
