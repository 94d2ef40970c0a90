using Azure.Core;
using Azure.Data.Tables;
using KDirective.Reminders;
using KDirective.Storage;
using KDirective.Tests.Storage;

namespace KDirective.Tests.Reminders;

/// <summary>
/// The claim that keeps an email from going out twice: its stale-claim limit to the second, and its ETags, which
/// let only the run that holds a claim give it back. Races are forced, not hoped for (<see cref="CompetingWrite"/>).
/// </summary>
[Collection(AzuriteCollection.Name)]
public class ReminderStoreTests(AzuriteFixture azurite)
{
    private const string Key = "inventory-0-due";
    private static readonly DateTimeOffset T0 = new(2017, 10, 10, 13, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(30);

    private ReminderStore Store(StorageClientSettings? settings = null) =>
        new(azurite.Connect(settings), Microsoft.Extensions.Options.Options.Create(new ReminderOptions { StaleClaimMinutes = (int)Stale.TotalMinutes }));

    private ReminderEntity? Row(string agency) =>
        azurite.Connect().Tables.GetTableClient(StorageNames.RemindersTable).GetEntityIfExists<ReminderEntity>(agency, Key) is { HasValue: true } found ? found.Value : null;

    /// <summary>A store whose first request matching <paramref name="matches"/> meets <paramref name="competingWrite"/>, made just before it.</summary>
    private (ReminderStore Racing, CompetingWrite Race) RacingStore(Func<HttpMessage, bool> matches, Func<Task> competingWrite)
    {
        var race = new CompetingWrite(matches, competingWrite);
        var settings = new StorageClientSettings();
        settings.Policies.Add(race);
        return (Store(settings), race);
    }

    private static bool IsTakeOver(HttpMessage m) => m.Request.Method == RequestMethod.Put && CompetingWrite.IsWriteTo(m, StorageNames.RemindersTable);

    private static bool IsReadOfTheClaim(HttpMessage m) =>
        m.Request.Method == RequestMethod.Get && m.Request.Uri.Path.Contains($"/{StorageNames.RemindersTable}(", StringComparison.Ordinal);

    [Fact]
    public async Task ClaimHeldExactlyTheStaleLimit_IsStillInProgress_AndIsTakenOverASecondLater()
    {
        var agency = Pipeline.NewAgencyId();
        var store = Store();
        Assert.Equal(ClaimOutcome.Claimed, (await store.TryClaimAsync(agency, Key, T0)).Outcome);

        Assert.Equal(ClaimOutcome.InProgress, (await store.TryClaimAsync(agency, Key, T0 + Stale)).Outcome);
        Assert.Equal(T0, Row(agency)!.ClaimedAt);
        Assert.Equal(ClaimOutcome.Claimed, (await store.TryClaimAsync(agency, Key, T0 + Stale + TimeSpan.FromSeconds(1))).Outcome);
        Assert.Equal(T0 + Stale + TimeSpan.FromSeconds(1), Row(agency)!.ClaimedAt);
    }

    [Fact]
    public async Task Release_ByARunWhoseClaimWasTakenOver_LeavesTheNewClaim()
    {
        var agency = Pipeline.NewAgencyId();
        var store = Store();
        var (_, slow) = await store.TryClaimAsync(agency, Key, T0);
        var (outcome, taker) = await store.TryClaimAsync(agency, Key, T0 + Stale + Stale);
        Assert.Equal(ClaimOutcome.Claimed, outcome);

        await store.ReleaseAsync(slow); // the slow run's send failed after all: its claim is no longer its to give back

        Assert.Equal(T0 + Stale + Stale, Row(agency)?.ClaimedAt);
        await store.ReleaseAsync(taker);
        Assert.Null(Row(agency));
    }

    [Fact]
    public async Task Release_ByATakeOverRunOvertakenInTurn_LeavesTheNewestClaim()
    {
        var agency = Pipeline.NewAgencyId();
        var store = Store();
        await store.TryClaimAsync(agency, Key, T0);
        var (_, second) = await store.TryClaimAsync(agency, Key, T0 + Stale + Stale);
        var (outcome, _) = await store.TryClaimAsync(agency, Key, T0 + (4 * Stale));
        Assert.Equal(ClaimOutcome.Claimed, outcome);

        await store.ReleaseAsync(second);

        Assert.Equal(T0 + (4 * Stale), Row(agency)?.ClaimedAt);
    }

    [Fact]
    public async Task Release_OfAClaimAlreadyGivenBack_IsQuiet_AndTheItemCanBeClaimedAgain()
    {
        var agency = Pipeline.NewAgencyId();
        var deletes = new CompetingWrite(m => m.Request.Method == RequestMethod.Delete, () => Task.CompletedTask);
        var settings = new StorageClientSettings();
        settings.Policies.Add(deletes);
        var store = Store(settings);
        var (_, claim) = await store.TryClaimAsync(agency, Key, T0);
        await store.ReleaseAsync(claim);

        await store.ReleaseAsync(claim); // a retried release meets no row: nothing to do

        Assert.Equal([204, 404], deletes.Responses);
        Assert.Null(Row(agency));
        Assert.Equal(ClaimOutcome.Claimed, (await store.TryClaimAsync(agency, Key, T0)).Outcome);
    }

    [Fact]
    public async Task TakeOver_WhenAnotherRunTakesTheStaleClaimFirst_LeavesItToThatRun()
    {
        var agency = Pipeline.NewAgencyId();
        var other = Store();
        await other.TryClaimAsync(agency, Key, T0);
        var (racing, race) = RacingStore(IsTakeOver, () => other.TryClaimAsync(agency, Key, T0 + Stale + TimeSpan.FromMinutes(1)));

        var (outcome, _) = await racing.TryClaimAsync(agency, Key, T0 + Stale + TimeSpan.FromMinutes(2));

        Assert.Equal([412], race.Responses);
        Assert.Equal(ClaimOutcome.InProgress, outcome);
        Assert.Equal(T0 + Stale + TimeSpan.FromMinutes(1), Row(agency)?.ClaimedAt);
    }

    [Fact]
    public async Task TakeOver_OfAStaleClaimGivenBackMeanwhile_ClaimsTheItemAfresh()
    {
        var agency = Pipeline.NewAgencyId();
        var other = Store();
        var (_, slow) = await other.TryClaimAsync(agency, Key, T0);
        var (racing, race) = RacingStore(IsTakeOver, () => other.ReleaseAsync(slow));

        var (outcome, claim) = await racing.TryClaimAsync(agency, Key, T0 + Stale + Stale);

        Assert.Equal([404], race.Responses);
        Assert.Equal(ClaimOutcome.Claimed, outcome);
        Assert.Equal(T0 + Stale + Stale, Row(agency)?.ClaimedAt);
        await racing.ReleaseAsync(claim); // the fresh claim's ETag is the row's: its holder can give it back
        Assert.Null(Row(agency));
    }

    [Fact]
    public async Task Claim_GivenBackBetweenTheConflictAndTheRead_IsClaimedAfresh()
    {
        var agency = Pipeline.NewAgencyId();
        var other = Store();
        var (_, held) = await other.TryClaimAsync(agency, Key, T0);
        var (racing, race) = RacingStore(IsReadOfTheClaim, () => other.ReleaseAsync(held));

        var (outcome, _) = await racing.TryClaimAsync(agency, Key, T0 + TimeSpan.FromMinutes(1));

        Assert.Equal([404], race.Responses); // the read after the insert's conflict found the claim gone
        Assert.Equal(ClaimOutcome.Claimed, outcome);
        Assert.Equal(T0 + TimeSpan.FromMinutes(1), Row(agency)?.ClaimedAt);
    }
}
