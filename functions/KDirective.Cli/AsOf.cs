using System.Globalization;
using KDirective.Directive;

namespace KDirective.Cli;

/// <summary><c>--as-of YYYY-MM-DD</c>: 09:00 on that date in the directive's time zone.</summary>
internal static class AsOf
{
    public static DateTimeOffset? Parse(string? text, DirectiveCalendar calendar) => text is null
        ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? calendar.At(date, new TimeOnly(9, 0))
            : throw new UsageException($"--as-of '{text}' is not a date (YYYY-MM-DD)");
}
