using System.Text;

namespace KDirective.Inventory;

/// <summary>
/// Accumulates the per-product summary of one file from the reader's UTF-8 fields. Hosts are counted exactly by
/// <see cref="DistinctKeyCounter"/>, which writes sorted runs of keys to a temporary file past a fixed number, so
/// memory does not grow with rows or hosts. Ingestion takes the fleet's counter afterwards (<see cref="TakeHosts"/>)
/// and its coverage check looks hosts up in the runs.
/// </summary>
internal sealed class SummaryBuilder : IDisposable
{
    private const int StackLimit = 512;

    /// <summary>Versions listed per product: enough for any real estate, and the summary stays small whatever the file.</summary>
    public const int MaxVersionsPerProduct = 50;
    private readonly DistinctKeyCounter _hosts = new();
    private bool _hostsTaken;
    private readonly DistinctKeyCounter _affectedHosts = new();
    private readonly Dictionary<string, ProductTally> _products = new(StringComparer.Ordinal);
    private bool _hasCountedRows;
    private byte[] _lastHost = new byte[256];
    private int _lastHostLength = -1;

    /// <summary>Counts a row's host.</summary>
    public void AddRow(ReadOnlySpan<byte> hostname, long? count)
    {
        if (hostname.IsEmpty)
        {
            _hasCountedRows |= count is not null;
            LargestCount = Math.Max(LargestCount, count ?? 0);
            return;
        }

        // Exports list a host's software together, so most rows name the host of the row before:
        // comparing bytes is much cheaper than decoding the name and hashing it case-insensitively.
        if (_lastHostLength >= 0 && hostname.SequenceEqual(_lastHost.AsSpan(0, _lastHostLength)))
        {
            return;
        }

        _hosts.Add(HostKey.Of(hostname));
        if (hostname.Length > _lastHost.Length)
        {
            _lastHost = new byte[hostname.Length];
        }

        hostname.CopyTo(_lastHost);
        _lastHostLength = hostname.Length;
    }

    /// <summary>Counts a banned-product row: its host (or its endpoint count) and its version.</summary>
    public void AddMatch(string product, ReadOnlySpan<byte> hostname, ReadOnlySpan<byte> version, long endpoints, bool obfuscated)
    {
        if (!_products.TryGetValue(product, out var tally))
        {
            tally = new ProductTally();
            _products.Add(product, tally);
        }

        tally.Obfuscated |= obfuscated;
        if (hostname.IsEmpty)
        {
            // Each count is at most RowReader.MaxEndpointsPerRow, so only an absurd number of rows could overflow.
            tally.Counted = checked(tally.Counted + endpoints);
        }
        else
        {
            var key = HostKey.Of(hostname);
            tally.Hosts.Add(key);
            _affectedHosts.Add(key);
        }

        if (!version.IsEmpty && tally.Versions.Count < MaxVersionsPerProduct)
        {
            Add(tally.Versions, version);
        }
    }

    /// <summary>The distinct hosts seen, as <see cref="HostKey"/> values, for a coverage check after the file: the caller disposes them.</summary>
    public FleetKeys TakeHosts()
    {
        _hostsTaken = true;
        return new FleetKeys(_hosts);
    }

    /// <summary>The largest endpoint count of any row without a hostname: an aggregated export's fleet size.</summary>
    public long LargestCount { get; private set; }

    /// <summary>Distinct hosts, or null when some rows only carry a count (an aggregated export).</summary>
    public long? EndpointsScanned => _hasCountedRows ? null : _hosts.Count;

    public long? EndpointsAffected => _hasCountedRows ? null : _affectedHosts.Count;

    public IReadOnlyList<ProductFinding> Findings => _products
        .Select(p => new ProductFinding(p.Key, checked(p.Value.Hosts.Count + p.Value.Counted), [.. p.Value.Versions.Order(StringComparer.Ordinal)], p.Value.Obfuscated))
        .OrderByDescending(f => f.Endpoints)
        .ThenBy(f => f.Product, StringComparer.Ordinal)
        .ToArray();

    public void Dispose()
    {
        if (!_hostsTaken)
        {
            _hosts.Dispose();
        }

        _affectedHosts.Dispose();
        foreach (var tally in _products.Values)
        {
            tally.Hosts.Dispose();
        }
    }

    private static void Add(HashSet<string> set, ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > StackLimit)
        {
            set.Add(Encoding.UTF8.GetString(utf8));
            return;
        }

        Span<char> chars = stackalloc char[StackLimit];
        var written = Encoding.UTF8.GetChars(utf8, chars);
        set.GetAlternateLookup<ReadOnlySpan<char>>().Add(chars[..written]);
    }

    private sealed class ProductTally
    {
        public DistinctKeyCounter Hosts { get; } = new();

        public HashSet<string> Versions { get; } = new(StringComparer.Ordinal);

        public long Counted { get; set; }

        public bool Obfuscated { get; set; }
    }
}
