using KDirective.Storage;
using Microsoft.Extensions.Hosting;

namespace KDirective.Functions;

/// <summary>
/// Tries to create missing containers and tables once, in the background, as the worker starts. A failure (role
/// assignments still propagating after a first deployment, say) is logged, not thrown: the worker keeps running
/// and <see cref="StorageReady"/> tries again before the first function.
/// </summary>
internal sealed class StorageWarmUp(StorageInitializer storage) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => storage.TryEnsureReadyAsync(stoppingToken);
}
