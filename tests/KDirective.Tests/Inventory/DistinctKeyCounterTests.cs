using System.Text;
using KDirective.Inventory;

namespace KDirective.Tests.Inventory;

/// <summary>
/// The distinct-key counter counts exactly whether or not it writes runs to disk, and leaves no file behind.
/// The reader's summary counts hosts with it, so a wrong merge is a wrong "endpoints scanned" or "affected".
/// </summary>
public sealed class DistinctKeyCounterTests() : SpillingTests("kdirective-keys-")
{

    [Theory]
    [MemberData(nameof(SpillSizes))]
    public void Count_AgreesWithAHashSet_HoweverOftenItSpills(int spillAt)
    {
        var random = new Random(20170913);
        var reference = new HashSet<ulong>();
        using var counter = new DistinctKeyCounter(spillAt, Folder);
        for (var i = 0; i < 50_000; i++)
        {
            // Keys repeat across runs on purpose, and 0 and the largest key take part.
            var key = (i % 5) switch
            {
                0 => (ulong)random.Next(20_000),
                1 => 0UL,
                2 => ulong.MaxValue - (ulong)random.Next(3),
                _ => (ulong)random.NextInt64() % 30_000 * 0x9E3779B97F4A7C15UL,
            };
            reference.Add(key);
            counter.Add(key);
        }

        Assert.Equal(reference.Count, counter.Count);
        Assert.Equal(spillAt == int.MaxValue ? 0 : 1, Math.Sign(counter.Runs));
    }

    [Theory]
    [MemberData(nameof(SpillSizes))]
    public void Among_FindsExactlyTheKeysAdded_WhetherTheyWentToDiskOrNot(int spillAt)
    {
        // Ingestion's coverage check asks which of the hosts that carried the product before a file listed.
        var random = new Random(20171213);
        var added = new HashSet<ulong> { 0, ulong.MaxValue };
        while (added.Count < 20_000)
        {
            added.Add((ulong)random.NextInt64() * 3);
        }

        using var counter = new DistinctKeyCounter(spillAt, Folder);
        foreach (var key in added.Concat(added.Take(500))) // some twice, across runs
        {
            counter.Add(key);
        }

        // Keys asked about: half added, half not (including neighbours of added keys), in no order, some twice.
        var asked = added.Take(3000).Concat(added.Skip(3000).Take(3000).Select(k => k + 1)).Concat(new ulong[] { 1, ulong.MaxValue, 0, 5, 5 }).ToArray();
        random.Shuffle(asked);

        var found = counter.Among(asked);

        var expected = asked.Where(added.Contains).Distinct().ToArray();
        Assert.Equal(expected.Length, found.Count);
        Assert.All(expected, k => Assert.True(found.Contains(k)));
        Assert.Equal(added.Count, counter.Count); // the count is unchanged by looking keys up, and can be asked again
        Assert.Equal(expected.Length, counter.Among(asked).Count);
        Assert.Throws<InvalidOperationException>(() => counter.Add(42));
    }

    [Fact]
    public void BelowTheLimit_NothingGoesToDisk_AndTheKeysStayReadable()
    {
        using var counter = new DistinctKeyCounter(100, Folder);
        for (var key = 1UL; key < 100; key++)
        {
            counter.Add(key);
            counter.Add(key);
        }

        Assert.Equal(0, counter.Runs);
        Assert.Empty(Directory.GetFiles(Folder));
        Assert.True(counter.InMemory.Contains(99));
        Assert.Equal(99, counter.Count);
    }

    [Fact]
    public void PastTheLimit_RunsGoToOneFile_WhichDisposeDeletes_AndTheKeysAreNoLongerOffered()
    {
        var counter = new DistinctKeyCounter(10, Folder);
        for (var key = 0UL; key < 35; key++)
        {
            counter.Add(key);
        }

        Assert.Equal(3, counter.Runs);
        Assert.Single(Directory.GetFiles(Folder, "kdirective-*.keys"));
        Assert.Throws<InvalidOperationException>(() => counter.InMemory);
        Assert.Equal(35, counter.Count);
        Assert.Throws<InvalidOperationException>(() => counter.Add(36));

        counter.Dispose();

        Assert.Empty(Directory.GetFiles(Folder));
    }

    [Fact]
    public void AFolderThatCannotTakeTheRuns_IsNamedWithTheReason()
    {
        var missing = Path.Combine(Folder, "missing");
        using var counter = new DistinctKeyCounter(2, missing);
        counter.Add(1);

        var e = Assert.Throws<IOException>(() => counter.Add(2));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("TMPDIR", e.Message, StringComparison.Ordinal);
        Assert.IsType<DirectoryNotFoundException>(e.InnerException);
    }

    [Fact]
    public void Reader_CountsHostsAffectedAndPerProduct_Exactly_WhenEachCountSpillsAndHostsComeBack()
    {
        // Every host appears twice, 40,000 rows apart, so the same key lands in different runs; half the hosts carry
        // a Kaspersky product. Each of the three counts passes DistinctKeyCounter.DefaultSpillAt.
        const int hosts = 40_000;
        var csv = new StringBuilder("Hostname,Publisher,Product,Version\n");
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < hosts; i++)
            {
                // The second pass changes case: a host is the same whatever its case.
                var host = pass == 0 ? $"host-{i:D6}.agency.gov" : $"HOST-{i:D6}.AGENCY.GOV";
                csv.Append(host).Append(i % 2 == 0
                    ? ",AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.11\n"
                    : ",Contoso,Contoso Agent,1.0\n");
            }
        }

        Assert.True(hosts / 2 > DistinctKeyCounter.DefaultSpillAt);
        var report = Read.Text(csv.ToString(), matches: false);

        Assert.True(report.Accepted, report.Error);
        Assert.Equal(hosts, report.EndpointsScanned);
        Assert.Equal(hosts / 2, report.EndpointsAffected);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(hosts / 2, finding.Endpoints);
    }
}
