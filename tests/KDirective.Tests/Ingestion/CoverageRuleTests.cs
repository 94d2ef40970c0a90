using KDirective.Ingestion;
using KDirective.Inventory;

namespace KDirective.Tests.Ingestion;

/// <summary>
/// The coverage rule's host comparison and the sink that gathers its input, without storage: one change per host
/// (case ignored, the first spelling kept), in the stored hostname order whatever order the hosts came in, and each
/// host's products exactly as the rows gave them.
/// </summary>
public class CoverageRuleTests
{
    private const string Kes = "Kaspersky Endpoint Security for Windows";
    private const string Kav = "Kaspersky Anti-Virus";
    private const string Free = "Kaspersky Free";

    private static HostKeySet Listed(params string[] hostnames)
    {
        var set = new HostKeySet();
        foreach (var hostname in hostnames)
        {
            set.Add(CoverageRule.KeyOf(hostname));
        }

        return set;
    }

    [Fact]
    public void Compare_GivesOneChangePerHost_InHostnameOrder_WhateverOrderTheHostsCameIn()
    {
        HostFindings[] before = [new("PC-D", [Kes]), new("pc-a", [Kes]), new("PC-C", [Kav]), new("pc-d", [Free])];
        HostFindings[] found = [new("pc-b", [Kes]), new("PC-A", [Kav, Kes]), new("Pc-B", [Free]), new("pc-a2", [Kes])];

        var changes = CoverageRule.Compare(before, found, Listed("PC-A", "pc-a2", "pc-b", "pc-c"));

        Assert.Equal(
            [
                ("PC-A", HostChangeKinds.Remaining, $"{Kav}|{Kes}"), // found again: this inventory's products
                ("pc-a2", HostChangeKinds.New, Kes),
                ("pc-b", HostChangeKinds.New, Kes), // Pc-B is the same host: the first spelling and its products are kept
                ("PC-C", HostChangeKinds.Removed, Kav), // listed without the product (the fleet's keys ignore case)
                ("PC-D", HostChangeKinds.Unreported, Kes), // not listed: still carrying; pc-d was the same host again
            ],
            changes.Select(c => (c.Hostname, c.Change, string.Join('|', c.Products))));
    }

    [Fact]
    public void Compare_GivesTheSameChangesInTheSameOrder_WhicheverOrderBothListsCameIn()
    {
        // "A" carried before and "a" found now are one host (found again, under this inventory's spelling).
        var forward = CoverageRule.Compare([new("b", [Kes]), new("A", [Kes])], [new("a", [Kav]), new("B2", [Kes])], Listed());
        var backward = CoverageRule.Compare([new("A", [Kes]), new("b", [Kes])], [new("B2", [Kes]), new("a", [Kav])], Listed());

        Assert.Equal(["a", "b", "B2"], forward.Select(c => c.Hostname));
        Assert.Equal(forward.Select(c => (c.Hostname, c.Change)), backward.Select(c => (c.Hostname, c.Change)));
        Assert.Equal(
            forward.OrderBy(c => c.Hostname, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Hostname, StringComparer.Ordinal).Select(c => c.Hostname),
            forward.Select(c => c.Hostname));
    }

    [Fact]
    public void Changes_RefusesAListOutOfOrderOrNamingAHostTwice_RatherThanMissAHost()
    {
        // The merge walks both lists once: a list out of order would pair the wrong hosts, so it is a bug to stop.
        HostFindings[] unordered = [new("pc-b", [Kes]), new("pc-a", [Kes])];
        HostFindings[] twice = [new("pc-a", [Kes]), new("PC-A", [Kav])];
        HostFindings[] ordered = [new("pc-a", [Kes]), new("pc-b", [Kes])];

        Assert.Throws<ArgumentException>(() => CoverageRule.Changes(unordered, ordered, _ => false).ToList());
        Assert.Throws<ArgumentException>(() => CoverageRule.Changes(ordered, twice, _ => false).ToList());
        Assert.Equal(
            [("pc-a", HostChangeKinds.Remaining), ("pc-b", HostChangeKinds.Remaining)],
            CoverageRule.Changes(ordered, ordered, _ => false).Select(c => (c.Hostname, c.Change)));
    }

    [Fact]
    public void Changes_AsksWhetherAHostIsListedOnlyForHostsNotFound()
    {
        HostFindings[] before = [new("A", [Kes]), new("B", [Kes]), new("C", [Kes])];
        HostFindings[] found = [new("b", [Kav])];
        var asked = new List<ulong>();

        var changes = CoverageRule.Changes(before, found, key =>
        {
            asked.Add(key);
            return key == CoverageRule.KeyOf("a");
        }).ToList();

        Assert.Equal([("A", HostChangeKinds.Removed), ("b", HostChangeKinds.Remaining), ("C", HostChangeKinds.Unreported)], changes.Select(c => (c.Hostname, c.Change)));
        Assert.Equal([CoverageRule.KeyOf("A"), CoverageRule.KeyOf("C")], asked);
    }

    [Fact]
    public void Assess_NamesTheFirstLackingHostsInHostnameOrder()
    {
        var before = Enumerable.Range(0, 150).Reverse().Select(i => new HostFindings($"HOST-{i:D3}", [Kes])).ToArray();

        var changes = CoverageRule.Compare(before, [], Listed("HOST-000"));
        var coverage = CoverageRule.Assess(perHost: true, changes, fleetSize: 1, referenceFleetSize: 150, minCoverage: 0.9);

        Assert.Equal((CoverageKinds.Partial, 149), (coverage.Kind, coverage.HostsLacking));
        Assert.Equal(Enumerable.Range(1, CoverageRule.HostsListed).Select(i => $"HOST-{i:D3}"), coverage.HostsLackingFirst);
    }

    [Fact]
    public async Task Sink_GivesEachHostTheProductsItsRowsNamed_SharingOneListPerCombination()
    {
        using var sink = new CoverageSink(new Discard());
        (string Host, string Product)[] rows =
        [
            ("PC-1", Kes), ("PC-2", Kav), ("pc-1", Kav), ("PC-3", Kav), ("PC-2", Free), ("PC-3", Kes), ("PC-1", Kes), ("PC-4", Kes), ("PC-2", Kes),
        ];
        var line = 1;
        foreach (var (host, product) in rows)
        {
            await sink.AddAsync(new InventoryMatch(++line, host, "AO Kaspersky Lab", product, "1", product, 1), CancellationToken.None);
        }

        var found = sink.Found.Sorted().ToDictionary(h => h.Hostname, h => h.Products);

        Assert.Equal(["PC-1", "PC-2", "PC-3", "PC-4"], found.Keys.Order(StringComparer.Ordinal)); // pc-1 is PC-1: the first spelling kept
        Assert.Equal([Kav, Kes], found["PC-1"]); // Kes, then Kav
        Assert.Equal([Kav, Kes], found["PC-3"]); // Kav, then Kes: the same combination...
        Assert.Same(found["PC-1"], found["PC-3"]); // ...as one shared list
        Assert.Equal([Kav, Kes, Free], found["PC-2"]); // Kav, then Free (a step PC-1 never took), then Kes: in ordinal order
        Assert.Equal([Kes], found["PC-4"]);
    }

    private sealed class Discard : IMatchSink
    {
        public ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
