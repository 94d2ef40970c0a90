namespace KDirective.Tests;

/// <summary>Locations in the repository, found from the test assembly so tests run from any directory.</summary>
internal static class Paths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");

    public static string Inventory(string name) => Path.Combine(Samples, "inventories", name);

    public static string TempFile(string extension = ".csv")
    {
        var dir = Path.Combine(Path.GetTempPath(), "kdirective-tests");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, Guid.NewGuid().ToString("N") + extension);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KDirective.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("KDirective.sln not found above the test assembly");
    }
}
