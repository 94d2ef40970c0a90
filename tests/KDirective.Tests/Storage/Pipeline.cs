using KDirective.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KDirective.Tests.Storage;

/// <summary>The library's real services over Azurite, as the Functions app wires them, with a fake clock.</summary>
internal static class Pipeline
{
    public static ServiceProvider Create(AzuriteFixture azurite, StorageClientSettings? settings = null, FakeTimeProvider? time = null, Action<IServiceCollection>? configure = null, IDictionary<string, string?>? config = null)
    {
        var values = new Dictionary<string, string?> { ["Email:Outbox"] = Path.Combine(Path.GetTempPath(), "kdirective-tests", "outbox") };
        foreach (var (key, value) in config ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(new DateTimeOffset(2017, 10, 1, 12, 0, 0, TimeSpan.Zero)));
        services.AddSingleton(azurite.Connect(settings));
        services.AddKDirective(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>A fresh agency id, so tests sharing one Azurite never see each other's rows.</summary>
    public static string NewAgencyId(string prefix = "ag") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(32, prefix.Length + 13)];
}
