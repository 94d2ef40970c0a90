using KDirective.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KDirective.Cli;

/// <summary>
/// The library's services for one CLI command, configured as the Functions app is: the same setting names,
/// from environment variables (<c>InventoryStorage</c>, <c>Directive__IssuedOn</c>, …), plus <c>--storage</c>.
/// </summary>
internal static class CliServices
{
    public static async Task<ServiceProvider> CreateAsync(string? storageConnection, CancellationToken cancellationToken, Action<IServiceCollection>? configure = null)
    {
        var configuration = Configuration(storageConnection);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddKDirective(configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(cancellationToken);
        return provider;
    }

    /// <summary>The app's settings from environment variables, with <c>--storage</c> on top.</summary>
    public static IConfiguration Configuration(string? storageConnection)
    {
        var overrides = new Dictionary<string, string?>();
        if (storageConnection is not null)
        {
            overrides[StorageConnection.SettingName] = storageConnection;
        }

        return new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
    }
}
