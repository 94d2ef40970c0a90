using KDirective.Agencies;
using KDirective.Ingestion;
using KDirective.Inventory;
using KDirective.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KDirective;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything the Functions app and the CLI share. Storage comes from the <c>InventoryStorage</c> setting.</summary>
    public static IServiceCollection AddKDirective(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => StorageConnection.FromConfiguration(configuration));
        services.AddSingleton<StorageInitializer>();
        services.AddSingleton(Detection.ProductMatcher.Default);
        services.AddSingleton<InventoryReader>();
        services.AddSingleton<AgencyRegistry>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<FindingStore>();
        services.AddSingleton<StatusStore>();
        services.AddSingleton<IngestionService>();
        return services;
    }
}
