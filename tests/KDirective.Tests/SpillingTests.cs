namespace KDirective.Tests;

/// <summary>
/// For the tests of what spills sorted runs to disk (host keys, affected hosts): a temporary folder of their own,
/// deleted afterwards, and the spill sizes each is tested at.
/// </summary>
public abstract class SpillingTests(string prefix) : IDisposable
{
    /// <summary>Spilling every item, every 7, every 1,000, and never.</summary>
    public static TheoryData<int> SpillSizes => [1, 7, 1000, int.MaxValue];

    protected string Folder { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
