using System.Text.Json;

namespace KDirective.Tests;

/// <summary>The reminder timer as the host will index it, from the generated function metadata.</summary>
public class ReminderTimerMetadataTests
{
    [Fact]
    public void ReminderTimer_RunsOnTheConfiguredSchedule_AndNeverOnStartup()
    {
        var binding = Assert.Single(FunctionsMetadataTests.Function("ReminderTimer").GetProperty("bindings").EnumerateArray());

        Assert.Equal("timerTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("%Reminders:Schedule%", binding.GetProperty("schedule").GetString());
        // A restart or a scale-out would otherwise send a round of reminders outside the schedule.
        Assert.True(!binding.TryGetProperty("runOnStartup", out var onStartup) || onStartup.ValueKind == JsonValueKind.False, $"runOnStartup is {onStartup}");
    }
}
