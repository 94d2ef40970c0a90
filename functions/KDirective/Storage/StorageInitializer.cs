using Azure;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KDirective.Storage;

/// <summary>
/// Creates the containers and tables the app uses, if they are missing. Idempotent. In Azure the Bicep creates them
/// and the app's role assignments can take minutes to propagate after a first deployment, so the app never lets
/// this stop it from starting: it tries once at start (<see cref="TryEnsureReadyAsync"/>, logged) and again before
/// work that needs storage (<see cref="EnsureReadyAsync"/>) until one attempt succeeds.
/// </summary>
public sealed class StorageInitializer(StorageConnection storage, ILogger<StorageInitializer>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<StorageInitializer>.Instance;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var container in StorageNames.Containers)
        {
            await storage.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var table in StorageNames.Tables)
        {
            await storage.Tables.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates what is missing unless an earlier call already succeeded. A failure propagates and the next call tries again.</summary>
    public async Task EnsureReadyAsync(CancellationToken cancellationToken = default)
    {
        if (_ready)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_ready)
            {
                await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
                _ready = true;
                _logger.StorageReady();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Best effort: logs a storage or credential failure and returns false instead of throwing.</summary>
    public async Task<bool> TryEnsureReadyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException or CredentialUnavailableException or HttpRequestException or TimeoutException)
        {
            _logger.StorageNotReady(e.GetType().Name, LogSafe.Of(e.Message, 500));
            return false;
        }
    }
}
