using System.Collections.Concurrent;
using Azure;
using KDirective.Directive;
using KDirective.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KDirective.Detection;

/// <summary>
/// Where the catalog comes from: <c>Directive:Catalog</c> names a file (<c>path/to/catalog.tsv</c>) or a blob in the data
/// account (<c>blob:container/name.tsv</c>); empty means the embedded default. Each catalog is read once per process.
/// </summary>
public sealed class CatalogSource(IServiceProvider services)
{
    public const string BlobPrefix = "blob:";

    private readonly ConcurrentDictionary<string, Lazy<ProductCatalog>> _loaded = new(StringComparer.Ordinal);

    /// <summary>The catalog <paramref name="setting"/> names. Throws <see cref="FormatException"/> naming the catalog, line and reason.</summary>
    public ProductCatalog Get(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            return ProductCatalog.Default;
        }

        var lazy = _loaded.GetOrAdd(setting.Trim(), s => new Lazy<ProductCatalog>(() => Load(s)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _loaded.TryRemove(new KeyValuePair<string, Lazy<ProductCatalog>>(setting.Trim(), lazy)); // fixed files are read again
            throw;
        }
    }

    /// <summary>Reads a catalog file; what <c>kdirective catalog check</c> and <c>--catalog</c> use.</summary>
    public static ProductCatalog LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FormatException($"catalog {path}: no such file");
        }

        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return ProductCatalog.Parse(reader, $"catalog {path}");
    }

    private ProductCatalog Load(string setting)
    {
        if (!setting.StartsWith(BlobPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return LoadFile(setting);
        }

        var path = setting[BlobPrefix.Length..].TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1)
        {
            throw new FormatException($"catalog {setting}: expected blob:<container>/<name>");
        }

        if (path[..slash] is StorageNames.InventoriesContainer or StorageNames.PlansContainer)
        {
            throw new FormatException($"catalog {setting}: agencies can write to {path[..slash]}/; keep the catalog in a container only operators write to");
        }

        var blob = services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(path[..slash]).GetBlobClient(path[(slash + 1)..]);
        try
        {
            // Start-up is synchronous (options validation); the catalog is small.
            var content = blob.DownloadContent().Value.Content;
            using var reader = new StreamReader(content.ToStream(), detectEncodingFromByteOrderMarks: true);
            return ProductCatalog.Parse(reader, $"catalog {setting}");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FormatException($"catalog {setting}: no such blob in the data account", e);
        }
    }
}

/// <summary>A catalog that does not load fails start-up (ValidateOnStart), with its line and reason.</summary>
internal sealed class CatalogValidation(CatalogSource source) : IValidateOptions<DirectiveOptions>
{
    public ValidateOptionsResult Validate(string? name, DirectiveOptions options)
    {
        try
        {
            source.Get(options.Catalog);
            return ValidateOptionsResult.Success;
        }
        catch (FormatException e)
        {
            return ValidateOptionsResult.Fail($"{DirectiveOptions.Section}:Catalog: {e.Message}");
        }
    }
}
