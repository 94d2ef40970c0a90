using KDirective.Ingestion;

namespace KDirective.Tests.Ingestion;

/// <summary>
/// The coverage check's two sides gather their hosts in <see cref="HostRuns"/>: in memory up to a point, then in sorted
/// runs on disk. Whether it spills must not change a single host, spelling, product or its order, or the diff is wrong.
/// </summary>
public sealed class HostRunsTests() : SpillingTests("kdirective-hosts-")
{
    private const string Kav = "Kaspersky Anti-Virus";
    private const string Kes = "Kaspersky Endpoint Security for Windows";
    private const string Free = "Kaspersky Free";

    [Theory]
    [MemberData(nameof(SpillSizes))]
    public void Sorted_IsEachHostOnce_InOrder_WithItsFirstSpellingAndEveryProduct_HoweverOftenItSpills(int spillAt)
    {
        // A reference built the plain way: the first spelling of each name (case ignored), the union of its products in
        // ordinal order, sorted as the merge with the previous inventory needs them.
        var random = new Random(20170913);
        string[] products = [Kes, Kav, Free];
        var first = new Dictionary<string, (string Spelling, SortedSet<string> Products)>(StringComparer.OrdinalIgnoreCase);
        using var runs = new HostRuns(spillAt: spillAt, directory: Folder);
        for (var i = 0; i < 20_000; i++)
        {
            var name = $"host-{random.Next(3000):D4}";
            var spelling = random.Next(3) == 0 ? name.ToUpperInvariant() : name; // the same host, spelled two ways, across runs
            var product = products[random.Next(products.Length)];
            if (!first.TryGetValue(spelling, out var host))
            {
                first.Add(spelling, host = (spelling, new SortedSet<string>(StringComparer.Ordinal)));
            }

            host.Products.Add(product);
            runs.Add(spelling, product);
        }

        var expected = first.Values.OrderBy(h => h.Spelling, StringComparer.OrdinalIgnoreCase)
            .Select(h => (h.Spelling, string.Join('|', h.Products))).ToList();
        Assert.Equal(expected, runs.Sorted().Select(h => (h.Hostname, string.Join('|', h.Products))));
        Assert.Equal(expected, runs.Sorted().Select(h => (h.Hostname, string.Join('|', h.Products)))); // read again, the same
        Assert.Equal(spillAt < first.Count, runs.Runs > 0);
    }

    [Fact]
    public void AHostInTwoRuns_KeepsTheFirstRunsSpelling_AndTheProductsOfBoth()
    {
        using var runs = new HostRuns(spillAt: 2, directory: Folder);
        runs.Add("PC-1", Kes);
        runs.Add("PC-2", Kes); // the table is full: PC-1 and PC-2 go to the first run
        runs.Add("pc-1", Kav); // the same host, in the second run
        runs.Add("PC-0", Free);

        Assert.Equal(2, runs.Runs);
        Assert.Equal(
            [("PC-0", Free), ("PC-1", $"{Kav}|{Kes}"), ("PC-2", Kes)],
            runs.Sorted().Select(h => (h.Hostname, string.Join('|', h.Products))));
    }

    [Fact]
    public void HostsWithTheSameProducts_ShareOneList_AfterSpillingToo()
    {
        using var runs = new HostRuns(spillAt: 3, directory: Folder);
        for (var i = 0; i < 10; i++)
        {
            runs.Add($"PC-{i}", i % 2 == 0 ? Kes : Kav);
            runs.Add($"PC-{i}", Free);
        }

        var hosts = runs.Sorted().ToList();

        Assert.True(runs.Runs > 1);
        Assert.Equal(2, hosts.Select(h => h.Products).Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    [Fact]
    public void AStoredHostsProducts_KeepTheirOrder()
    {
        // A stored diff's products are the order that inventory gave them; the check copies them into the next diff.
        using var runs = new HostRuns(spillAt: 1, directory: Folder);
        string[] stored = [Free, Kav];
        runs.Add("PC-1", stored);
        runs.Add("PC-2", stored);

        Assert.Equal([stored, stored], runs.Sorted().Select(h => h.Products));
    }

    [Fact]
    public void AStoredHostMetTwice_HasTheProductsOfBoth_InMemoryOrOnDisk()
    {
        // A stored diff never names a host twice, but if one did, its products would be joined rather than one list lost.
        using var memory = new HostRuns(directory: Folder);
        using var disk = new HostRuns(spillAt: 1, directory: Folder);
        foreach (var runs in new[] { memory, disk })
        {
            runs.Add("PC-1", [Kes]);
            runs.Add("pc-1", [Kav]);
        }

        Assert.Equal(0, memory.Runs);
        Assert.Equal(2, disk.Runs);
        Assert.All([memory, disk], runs => Assert.Equal([("PC-1", $"{Kav}|{Kes}")], runs.Sorted().Select(h => (h.Hostname, string.Join('|', h.Products)))));
    }

    [Fact]
    public void Adding_AfterTheHostsWereGivenBack_IsRefused()
    {
        using var runs = new HostRuns(directory: Folder);
        runs.Add("PC-1", Kes);
        _ = runs.Sorted();

        Assert.Throws<InvalidOperationException>(() => runs.Add("PC-2", Kes));
    }

    [Fact]
    public void Dispose_DeletesTheRuns()
    {
        var runs = new HostRuns(spillAt: 1, directory: Folder);
        runs.Add("PC-1", Kes);
        Assert.Single(Directory.GetFiles(Folder));

        runs.Dispose();

        Assert.Empty(Directory.GetFiles(Folder));
    }

    [Fact]
    public void ATemporaryFolderThatCannotTakeTheRuns_IsAClearError_NotALostHost()
    {
        var missing = Path.Combine(Folder, "missing");
        using var runs = new HostRuns(spillAt: 1, directory: missing);

        var error = Assert.Throws<IOException>(() => runs.Add("PC-1", Kes));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("TMPDIR", error.Message, StringComparison.Ordinal);
    }
}
