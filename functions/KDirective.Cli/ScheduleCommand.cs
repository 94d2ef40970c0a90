using System.Text.Json;
using KDirective.Directive;
using KDirective.Inventory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli;

/// <summary><c>kdirective schedule [--json]</c>: the directive's milestones and their due dates. Needs no storage.</summary>
internal static class ScheduleCommand
{
    private const int StatusPeriodsShown = 6;

    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string> { "--json" }, new HashSet<string>());
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddKDirective(configuration).BuildServiceProvider();
        var calendar = services.GetRequiredService<DirectiveCalendar>();
        var o = calendar.Options;
        var rows = new List<(string Milestone, int Period, int Day)>
        {
            (MilestoneIds.Inventory, 0, o.InventoryDays),
            (MilestoneIds.Plan, 0, o.PlanDays),
            (MilestoneIds.Implementation, 0, o.ImplementationDays),
        };
        rows.AddRange(Enumerable.Range(1, StatusPeriodsShown).Select(k => (MilestoneIds.Status, k, o.ImplementationDays + (k * o.StatusEveryDays))));

        if (parsed.Has("--json"))
        {
            var document = new
            {
                directive = o.Name,
                issuedOn = o.IssuedOn,
                timeZone = o.TimeZone,
                milestones = rows.Select(r => new { milestone = r.Milestone, period = r.Period, day = r.Day, dueDate = calendar.Day(r.Day), dueAt = calendar.EndOf(calendar.Day(r.Day)) }),
            };
            await output.WriteLineAsync(JsonSerializer.Serialize(document, InventoryJson.Options));
            return 0;
        }

        await output.WriteLineAsync($"{o.Name} ({o.Vendor}), issued {o.IssuedOn:yyyy-MM-dd}; due dates end at 23:59:59 {o.TimeZone}");
        foreach (var r in rows)
        {
            var label = r.Period == 0 ? r.Milestone : $"{r.Milestone} {r.Period}";
            var due = calendar.Day(r.Day);
            await output.WriteLineAsync($"  {label,-16} day {r.Day,4}  {DirectiveCalendar.Display(due),-16} ({calendar.EndOf(due):yyyy-MM-dd HH:mm:ss} UTC)");
        }

        await output.WriteLineAsync($"  status reports continue every {o.StatusEveryDays} days until an inventory shows no affected endpoints");
        return 0;
    }
}
