using System.Diagnostics;
using System.Text.Json;
using KDirective.Tests.Cli;
using KDirective.Tests.Storage;

namespace KDirective.Tests.Reminders;

[Collection(IsolatedAzuriteCollection.Name)]
public sealed class RemindCommandTests(IsolatedAzurite azurite) : IAsyncLifetime
{
    public Task InitializeAsync() => azurite.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Remind_Json_HasTheStableShape_AndASecondRunSendsNothing()
    {
        var storage = azurite.ConnectionString;
        Environment.SetEnvironmentVariable("Email__Outbox", Path.Combine(Path.GetTempPath(), "kdirective-tests", "cli-outbox"));
        Assert.Equal(0, (await InspectCommandTests.Run("agencies", "import", Path.Combine(Paths.Samples, "agencies.csv"), "--storage", storage)).Code);
        Assert.Equal(0, (await InspectCommandTests.Run("ingest", "--agency", "doc", "--received-at", "2017-10-02T14:00:00Z", Paths.Inventory("kdirective-template.csv"), "--storage", storage)).Code);

        var (code, output, error) = await InspectCommandTests.Run("remind", "--as-of", "2017-10-10", "--json", "--storage", storage);
        var second = await InspectCommandTests.Run("remind", "--as-of", "2017-10-10", "--json", "--storage", storage);

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["asOf", "sent", "alreadySent", "failed"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2017-10-10T13:00:00+00:00", json.RootElement.GetProperty("asOf").GetString());
        var sent = json.RootElement.GetProperty("sent").EnumerateArray().ToArray();
        Assert.Equal(11, sent.Length); // every sample agency but doc
        Assert.DoesNotContain(sent, s => s.GetProperty("agency").GetString() == "doc");
        Assert.Equal(["agency", "to", "cc", "subject", "items"], sent[0].EnumerateObject().Select(p => p.Name));
        var item = Assert.Single(sent[0].GetProperty("items").EnumerateArray());
        Assert.Equal(["milestone", "period", "kind"], item.EnumerateObject().Select(p => p.Name));
        Assert.All(sent, s => Assert.Equal(("inventory", 0, "upcoming"), s.GetProperty("items").EnumerateArray().Single() is var i
            ? (i.GetProperty("milestone").GetString(), i.GetProperty("period").GetInt32(), i.GetProperty("kind").GetString())
            : default));
        using var again = JsonDocument.Parse(second.Output);
        Assert.Equal(0, again.RootElement.GetProperty("sent").GetArrayLength());
        Assert.Equal(11, again.RootElement.GetProperty("alreadySent").GetInt32());
    }

    [Fact]
    public async Task Schedule_Json_ListsTheBodMilestones()
    {
        var (code, output, _) = await InspectCommandTests.Run("schedule", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var milestones = json.RootElement.GetProperty("milestones").EnumerateArray().ToArray();
        Assert.Equal(("inventory", "2017-10-13"), (milestones[0].GetProperty("milestone").GetString(), milestones[0].GetProperty("dueDate").GetString()));
        Assert.Equal(("plan", "2017-11-12"), (milestones[1].GetProperty("milestone").GetString(), milestones[1].GetProperty("dueDate").GetString()));
        Assert.Equal(("implementation", "2017-12-12"), (milestones[2].GetProperty("milestone").GetString(), milestones[2].GetProperty("dueDate").GetString()));
        Assert.Equal(("status", 1, "2018-01-11"), (milestones[3].GetProperty("milestone").GetString(), milestones[3].GetProperty("period").GetInt32(), milestones[3].GetProperty("dueDate").GetString()));
    }

    [Fact]
    public async Task Remind_BadDate_IsAUsageError()
    {
        var (code, _, error) = await InspectCommandTests.Run("remind", "--as-of", "10/10/2017", "--storage", azurite.ConnectionString);

        Assert.Equal(1, code);
        Assert.Contains("is not a date", error);
    }

    /// <summary>
    /// The summary line tells the operator where the emails went: SendGrid when a key is set, else the outbox folder.
    /// The settings are environment variables, as in Azure, so the CLI runs as its own process: setting them here
    /// would reach every test running beside this one. It runs with <c>--dry-run</c> and an unreachable proxy, so
    /// nothing can reach SendGrid's API even if the dry run broke (one attempt each, so such a break fails fast).
    /// </summary>
    [Fact]
    public async Task Remind_SummaryLine_NamesWhereTheEmailsGo()
    {
        var storage = azurite.ConnectionString;
        Assert.Equal(0, (await InspectCommandTests.Run("agencies", "import", Path.Combine(Paths.Samples, "agencies.csv"), "--storage", storage)).Code);
        var outbox = Path.Combine(Path.GetTempPath(), "kdirective-tests", $"destination-{Guid.NewGuid():N}");

        var sendGrid = await RunProcessAsync(new() { ["SendGrid__ApiKey"] = "SG.test-only" }, "remind", "--as-of", "2017-10-10", "--dry-run", "--storage", storage);
        var folder = await RunProcessAsync(new() { ["SendGrid__ApiKey"] = null, ["Email__Outbox"] = outbox }, "remind", "--as-of", "2017-10-10", "--dry-run", "--storage", storage);

        Assert.True(sendGrid.Code == 0, sendGrid.Error);
        Assert.Equal(12, sendGrid.Output.Split('\n').Count(l => l.StartsWith("would send: ", StringComparison.Ordinal)));
        Assert.EndsWith("12 digest(s) would send, 0 item(s) already sent, 0 failed; emails go to SendGrid", sendGrid.Output.TrimEnd());
        Assert.True(folder.Code == 0, folder.Error);
        Assert.EndsWith($"emails go to {outbox}", folder.Output.TrimEnd());
    }

    private static Task<(int Code, string Output, string Error)> RunProcessAsync(Dictionary<string, string?> environment, params string[] args)
    {
        var settings = new Dictionary<string, string?>
        {
            ["HTTPS_PROXY"] = "http://127.0.0.1:9",
            ["HTTP_PROXY"] = "http://127.0.0.1:9",
            ["NO_PROXY"] = "127.0.0.1,localhost",
            ["SendGrid__MaxAttempts"] = "1",
        };
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }

        return ChildProcess.RunAsync(ChildProcess.StartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "kdirective.dll"), .. args], settings));
    }
}
