using System.Globalization;
using System.Text;
using KDirective.Agencies;
using KDirective.Directive;

namespace KDirective.Email;

/// <summary>
/// An agency's upcoming deadlines as all-day calendar events (RFC 5545). Each event's UID is the agency, milestone and
/// period, so a later digest's calendar updates the events an earlier one created instead of duplicating them.
/// </summary>
public static class IcsCalendar
{
    public const string FileName = "deadlines.ics";

    /// <summary>Every milestone still to meet whose due date is today or later; null when there is none.</summary>
    public static EmailAttachment? Deadlines(DirectiveCalendar calendar, Agency agency, AgencyMilestones milestones, DateOnly today, DateTimeOffset stamp)
    {
        var open = milestones.States
            .Where(s => s.State is not (MilestoneStateKind.Met or MilestoneStateKind.NotRequired) && s.DueDate >= today)
            .OrderBy(s => s.DueDate)
            .ToArray();
        if (open.Length == 0)
        {
            return null;
        }

        var name = calendar.Options.Name;
        var text = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//KDirective//Reminders//EN\r\nMETHOD:PUBLISH\r\n");
        foreach (var s in open)
        {
            var title = ReminderDigest.Title(s.Milestone, s.Period);
            text.Append("BEGIN:VEVENT\r\n");
            Line(text, $"UID:{Escape(Uid(agency.Id, s))}");
            Line(text, $"DTSTAMP:{stamp.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}");
            Line(text, $"DTSTART;VALUE=DATE:{s.DueDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");
            Line(text, $"DTEND;VALUE=DATE:{s.DueDate.AddDays(1).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");
            Line(text, $"SUMMARY:{Escape($"{name}: {title} due")}");
            Line(text, $"DESCRIPTION:{Escape($"{name}: {title} due by the end of {DirectiveCalendar.Display(s.DueDate)} ({calendar.Options.TimeZone} time) - {agency.Name}")}");
            text.Append("END:VEVENT\r\n");
        }

        text.Append("END:VCALENDAR\r\n");
        return new EmailAttachment(FileName, "text/calendar; charset=utf-8; method=PUBLISH", Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Stable across runs: the same deadline always has the same UID.</summary>
    public static string Uid(string agency, MilestoneState state) => $"{agency}-{state.Milestone}-{state.Period}@kdirective";

    /// <summary>A content line, folded so no physical line exceeds 75 octets (RFC 5545, 3.1).</summary>
    private static void Line(StringBuilder text, string line)
    {
        var octets = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            if (octets + rune.Utf8SequenceLength > 75)
            {
                text.Append("\r\n ");
                octets = 1;
            }

            text.Append(rune.ToString());
            octets += rune.Utf8SequenceLength;
        }

        text.Append("\r\n");
    }

    private static string Escape(string value) => new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray())
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal);
}
