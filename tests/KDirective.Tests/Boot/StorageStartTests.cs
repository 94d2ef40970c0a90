using Azure;
using KDirective.Storage;
using KDirective.Tests.Storage;

namespace KDirective.Tests.Boot;

/// <summary>Storage trouble at start (role assignments still propagating) never stops the app; the next use tries again.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageStartTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AFailureAtStart_IsLoggedNotThrown_AndTheFirstUseTriesAgain_ThenNeverAgain()
    {
        var requests = 0;
        var outage = new FaultInjection(_ => Interlocked.Increment(ref requests) > 0, failOnMatch: 1);
        var settings = new StorageClientSettings();
        settings.Policies.Add(outage);
        var storage = new StorageInitializer(azurite.Connect(settings));

        Assert.False(await storage.TryEnsureReadyAsync());
        Assert.Equal(1, outage.Failures);

        await storage.EnsureReadyAsync();
        var afterSuccess = requests;
        await storage.EnsureReadyAsync();

        Assert.True(afterSuccess > 1);
        Assert.Equal(afterSuccess, requests);
    }

    [Fact]
    public async Task AtFirstUse_AFailureReachesTheInvocation_SoItIsRetried()
    {
        var outage = new FaultInjection(_ => true, failOnMatch: 1);
        var settings = new StorageClientSettings();
        settings.Policies.Add(outage);
        var storage = new StorageInitializer(azurite.Connect(settings));

        await Assert.ThrowsAsync<RequestFailedException>(() => storage.EnsureReadyAsync());
        await storage.EnsureReadyAsync();
    }
}
