namespace KDirective.Tests.Directives;

/// <summary>The OMB M-23-13 sample configuration (samples/directives/m-23-13), read as the app reads its settings.</summary>
internal static class M2313
{
    public static string Folder => Path.Combine(Paths.Samples, "directives", "m-23-13");

    public static string Catalog => Path.Combine(Folder, "catalog.tsv");

    public static string RawExport => Path.Combine(Folder, "intune-appinvrawdata.csv");

    public static string AggregateExport => Path.Combine(Folder, "intune-appinvaggregate.csv");

    /// <summary>directive.env's settings as configuration keys (Section:Key); its relative catalog path made absolute.</summary>
    public static Dictionary<string, string?> Settings()
    {
        var settings = File.ReadLines(Path.Combine(Folder, "directive.env"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(kv => kv[0].Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv[1]);
        settings["Directive:Catalog"] = Path.Combine(Paths.Root, settings["Directive:Catalog"]!);
        return settings;
    }
}
