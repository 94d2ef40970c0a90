using KDirective.Detection;
using KDirective.Directive;
using Microsoft.Extensions.Configuration;

namespace KDirective.Cli;

/// <summary>The product catalog a command matches against: <c>--catalog</c>, else <c>Directive__Catalog</c>, else the built-in one.</summary>
internal static class CliCatalog
{
    private static readonly AsyncLocal<string?> CatalogOption = new();

    /// <summary>The <c>--catalog</c> value of the command being run (async-local: tests run commands side by side).</summary>
    public static string? Option
    {
        get => CatalogOption.Value;
        set => CatalogOption.Value = value;
    }

    /// <summary>
    /// The catalog setting in force: <c>--catalog</c>, else <c>Directive__Catalog</c> read from the environment as the
    /// Functions app reads it; null for the built-in catalog.
    /// </summary>
    public static string? Setting
    {
        get
        {
            var value = Option ?? new ConfigurationBuilder().AddEnvironmentVariables().Build()[$"{DirectiveOptions.Section}:{nameof(DirectiveOptions.Catalog)}"];
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }
    }

    /// <summary>Whether the catalog is a blob in the data account, which only the full build can read.</summary>
    public static bool IsBlob => Setting?.StartsWith(CatalogSource.BlobPrefix, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The matcher for the built-in catalog or a catalog file.</summary>
    public static ProductMatcher FileMatcher() => Setting is { } path ? new ProductMatcher(CatalogSource.LoadFile(path)) : ProductMatcher.Default;
}
