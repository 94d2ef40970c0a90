using System.ComponentModel.DataAnnotations;

namespace KDirective.Reminders;

/// <summary>When reminders go out. The timer's schedule is read by the Functions host as <c>%Reminders:Schedule%</c>.</summary>
public sealed class ReminderOptions
{
    public const string Section = "Reminders";

    /// <summary>NCRONTAB (six fields, UTC): 13:00 UTC is 08:00 or 09:00 in Washington.</summary>
    [Required]
    public string Schedule { get; set; } = "0 0 13 * * *";

    /// <summary>Days before a due date on which a reminder goes out, comma-separated (one app setting).</summary>
    [Required]
    [RegularExpression(@"^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$", ErrorMessage = "Reminders:DaysBefore must be whole numbers separated by commas, e.g. 14,7,3,1")]
    public string DaysBefore { get; set; } = "14,7,3,1";

    public IReadOnlyList<int> DaysBeforeList => DaysBefore.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(d => int.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).Where(d => d > 0).ToArray();

    /// <summary>An overdue notice the day after the due date, then every this many days.</summary>
    [Range(1, 365)]
    public int OverdueEveryDays { get; set; } = 7;

    /// <summary>A claim older than this whose send never finished (a crash) may be retried.</summary>
    [Range(1, 1440)]
    public int StaleClaimMinutes { get; set; } = 30;
}
