using System.Globalization;
using System.Text;

namespace KDirective.Email;

/// <summary>An all-day calendar event for a due date (RFC 5545), attached to upcoming-deadline reminders.</summary>
public static class IcsCalendar
{
    public static EmailAttachment ForDueDate(string uid, DateOnly due, string summary, string description, DateTimeOffset stamp)
    {
        var text = new StringBuilder()
            .Append("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//KDirective//Reminders//EN\r\nMETHOD:PUBLISH\r\n")
            .Append("BEGIN:VEVENT\r\n")
            .Append($"UID:{Escape(uid)}@kdirective\r\n")
            .Append($"DTSTAMP:{stamp.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}\r\n")
            .Append($"DTSTART;VALUE=DATE:{due.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}\r\n")
            .Append($"DTEND;VALUE=DATE:{due.AddDays(1).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}\r\n")
            .Append($"SUMMARY:{Escape(summary)}\r\n")
            .Append($"DESCRIPTION:{Escape(description)}\r\n")
            .Append("END:VEVENT\r\nEND:VCALENDAR\r\n");
        return new EmailAttachment("due-date.ics", "text/calendar; charset=utf-8; method=PUBLISH", Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static string Escape(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal)
        .ReplaceLineEndings("\\n");
}
