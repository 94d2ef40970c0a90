using System.Text;
using KDirective.Detection;
using KDirective.Inventory;

namespace KDirective.Tests.Inventory;

/// <summary>
/// The reader's per-file cache of the matcher's answers. Its answers never differ from the matcher's, so what it
/// promises beyond them is cost: a pair seen before costs a lookup and no allocation, and the cache stops growing
/// at its bound. Allocation on this thread is how a test can see both.
/// </summary>
public class MatchCacheTests
{
    private static readonly byte[] Publisher = Encoding.UTF8.GetBytes("AO Kaspersky Lab");
    private static readonly byte[] Name = Encoding.UTF8.GetBytes("Kaspersky Endpoint Security 11 for Windows");

    [Fact]
    public void APairSeenBefore_GivesTheSameAnswer_WithoutAllocating() => AssertRemembered(Name);

    [Fact]
    public void OnceFull_NewPairsAreMatchedEveryTime_NotStored()
    {
        var cache = new MatchCache(ProductMatcher.Default);
        for (var i = 0; i < 4096; i++)
        {
            cache.Match(Publisher, Encoding.UTF8.GetBytes($"Kaspersky Widget {i}"));
        }

        cache.Match(Publisher, Name);
        var allocated = AllocatedBy(() => cache.Match(Publisher, Name), out var match);

        Assert.Equal("Kaspersky Endpoint Security for Windows", match?.Product);
        Assert.True(allocated >= 64, "a pair met after the cache was full was stored: the bound is not kept");
    }

    [Fact]
    public void AValueLongerThanTheStackBuffer_IsMatchedAndRemembered() =>
        AssertRemembered(Encoding.UTF8.GetBytes("Kaspersky Endpoint Security for Windows " + new string('x', 600)));

    /// <summary>Matched once, then again to warm up, then a third time measured: the same answer, no allocation.</summary>
    private static void AssertRemembered(byte[] name)
    {
        var cache = new MatchCache(ProductMatcher.Default);
        var first = cache.Match(Publisher, name);
        cache.Match(Publisher, name);

        var allocated = AllocatedBy(() => cache.Match(Publisher, name), out var again);

        Assert.Equal("Kaspersky Endpoint Security for Windows", first?.Product);
        Assert.Equal(first, again);
        Assert.True(allocated < 64, $"a repeated pair allocated {allocated} bytes: it was matched again, not looked up");
    }

    private static long AllocatedBy(Func<CatalogMatch?> match, out CatalogMatch? result)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        result = match();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
