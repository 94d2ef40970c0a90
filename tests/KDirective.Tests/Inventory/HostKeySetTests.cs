using KDirective.Inventory;

namespace KDirective.Tests.Inventory;

/// <summary>The host-key set counts distinct keys exactly, whatever the keys and however large it grows.</summary>
public sealed class HostKeySetTests
{
    [Fact]
    public void Add_CountsEachKeyOnce_IncludingZeroAndTheLargestKey()
    {
        var set = new HostKeySet();

        Assert.True(set.Add(0));
        Assert.False(set.Add(0));
        Assert.True(set.Add(ulong.MaxValue));
        Assert.False(set.Add(ulong.MaxValue));
        Assert.True(set.Add(1));

        Assert.Equal(3, set.Count);
        Assert.True(set.Contains(0) && set.Contains(1) && set.Contains(ulong.MaxValue));
        Assert.False(set.Contains(2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(196_608)] // exactly three-quarters of 2^18 slots
    [InlineData(100_000)]
    public void ASetSizedForNKeys_TakesThemWithoutGrowing_AndStillGrowsPastThem(int capacity)
    {
        // Ingestion sizes its sets from the previous inventory's counts so they are allocated once.
        var set = new HostKeySet(capacity);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var key = 1UL; key <= (ulong)capacity; key++)
        {
            set.Add(key * 0x9E3779B97F4A7C15UL);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        for (var key = (ulong)capacity + 1; key <= (ulong)(2 * capacity) + 20; key++)
        {
            set.Add(key * 0x9E3779B97F4A7C15UL);
        }

        Assert.Equal((2 * capacity) + 20, set.Count);
        Assert.True(set.Contains(0x9E3779B97F4A7C15UL) && set.Contains(((ulong)(2 * capacity) + 20) * 0x9E3779B97F4A7C15UL));
        Assert.False(set.Contains(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HostKeySet(-1));
    }

    [Fact]
    public void Contains_ReportsNothingOfAnEmptySet()
    {
        var set = new HostKeySet();

        Assert.Equal(0, set.Count);
        Assert.False(set.Contains(0));
        Assert.False(set.Contains(42));
    }

    [Fact]
    public void Clear_ForgetsEveryKey_AndTheSetWorksAgain()
    {
        var set = new HostKeySet();
        for (var key = 0UL; key < 1000; key++)
        {
            set.Add(key);
        }

        set.Clear();

        Assert.Equal(0, set.Count);
        Assert.False(set.Contains(0) || set.Contains(999));
        Assert.True(set.Add(999));
        Assert.Equal(1, set.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Add_AgreesWithAHashSet_OverHundredsOfThousandsOfKeys(bool sequential)
    {
        var random = new Random(20170913);
        var set = new HostKeySet();
        var reference = new HashSet<ulong>();
        for (var i = 0; i < 300_000; i++)
        {
            // Repeats on purpose (a host has many rows), and keys that are not hashes (small, in sequence).
            var key = sequential ? (ulong)(i % 150_000) * 1024 : (ulong)random.NextInt64() % 200_000 * 0x9E3779B97F4A7C15UL;
            Assert.Equal(reference.Add(key), set.Add(key));
        }

        Assert.Equal(reference.Count, set.Count);
        Assert.All(reference, key => Assert.True(set.Contains(key)));
        Assert.All(Enumerable.Range(0, 1000).Select(i => (ulong)random.NextInt64() | 1UL << 63), key => Assert.Equal(reference.Contains(key), set.Contains(key)));
    }
}
