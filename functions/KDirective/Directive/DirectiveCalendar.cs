using Microsoft.Extensions.Options;

namespace KDirective.Directive;

/// <summary>
/// Calendar arithmetic in the directive's time zone: due dates are calendar days after issue and end at 23:59:59
/// local time, whatever daylight saving does in between.
/// </summary>
public sealed class DirectiveCalendar
{
    public DirectiveCalendar(IOptions<DirectiveOptions> options)
    {
        Options = options.Value;
        Zone = TimeZoneInfo.FindSystemTimeZoneById(Options.TimeZone);
    }

    public DirectiveOptions Options { get; }

    public TimeZoneInfo Zone { get; }

    public DateOnly Day(int offset) => Options.IssuedOn.AddDays(offset);

    /// <summary>The last second of <paramref name="date"/> in the directive's zone, as an instant.</summary>
    public DateTimeOffset EndOf(DateOnly date) => At(date, new TimeOnly(23, 59, 59));

    public DateTimeOffset StartOf(DateOnly date) => At(date, TimeOnly.MinValue);

    /// <summary>A local wall-clock time as an instant. A time skipped by a DST change moves forward an hour.</summary>
    public DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>How people read a due date: "Sun 12 Nov 2017".</summary>
    public static string Display(DateOnly date) => date.ToString("ddd d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-US"));

    /// <summary>The local calendar date of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);
}
