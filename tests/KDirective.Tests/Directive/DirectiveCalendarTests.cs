using KDirective.Directive;
using Microsoft.Extensions.Options;

namespace KDirective.Tests.Directive;

public class DirectiveCalendarTests
{
    internal static DirectiveCalendar Calendar(DateOnly? issued = null, string zone = "America/New_York") =>
        new(Options.Create(new DirectiveOptions { IssuedOn = issued ?? new DateOnly(2017, 9, 13), TimeZone = zone }));

    [Fact]
    public void BodDefaults_GiveTheDirectivesDueDates()
    {
        var calendar = Calendar();

        Assert.Equal(new DateOnly(2017, 10, 13), calendar.Day(30));
        Assert.Equal(new DateOnly(2017, 11, 12), calendar.Day(60));
        Assert.Equal(new DateOnly(2017, 12, 12), calendar.Day(90));
        Assert.Equal("Sun 12 Nov 2017", DirectiveCalendar.Display(calendar.Day(60)));
    }

    [Fact]
    public void EndOf_IsTheLastSecondOfTheDayInTheZone_InSummerAndWinterTime()
    {
        var calendar = Calendar();

        Assert.Equal(new DateTimeOffset(2017, 10, 14, 3, 59, 59, TimeSpan.Zero), calendar.EndOf(new DateOnly(2017, 10, 13))); // EDT, UTC-4
        Assert.Equal(new DateTimeOffset(2017, 11, 13, 4, 59, 59, TimeSpan.Zero), calendar.EndOf(new DateOnly(2017, 11, 12))); // EST, UTC-5
    }

    [Fact]
    public void EndOf_OnTheDaysClocksChange_UsesThatEveningsOffset()
    {
        var calendar = Calendar();

        // 5 Nov 2017: clocks fell back at 02:00, so the evening is EST.
        Assert.Equal(new DateTimeOffset(2017, 11, 6, 4, 59, 59, TimeSpan.Zero), calendar.EndOf(new DateOnly(2017, 11, 5)));
        // 11 Mar 2018: clocks sprang forward at 02:00, so the evening is EDT.
        Assert.Equal(new DateTimeOffset(2018, 3, 12, 3, 59, 59, TimeSpan.Zero), calendar.EndOf(new DateOnly(2018, 3, 11)));
        // A day containing the change is 23 hours long from start to end.
        Assert.Equal(TimeSpan.FromHours(23) - TimeSpan.FromSeconds(1), calendar.EndOf(new DateOnly(2018, 3, 11)) - calendar.StartOf(new DateOnly(2018, 3, 11)));
    }

    [Fact]
    public void At_ASkippedLocalTime_MovesForwardAnHour()
    {
        var calendar = Calendar();

        Assert.Equal(new DateTimeOffset(2018, 3, 11, 7, 30, 0, TimeSpan.Zero), calendar.At(new DateOnly(2018, 3, 11), new TimeOnly(2, 30)));
    }

    [Theory]
    [InlineData(2020, 1, 31, 30, 2020, 3, 1)] // leap year: February has 29 days
    [InlineData(2019, 1, 31, 30, 2019, 3, 2)]
    [InlineData(2024, 2, 29, 365, 2025, 2, 28)]
    [InlineData(2017, 12, 15, 30, 2018, 1, 14)] // across a year end
    public void Day_CountsCalendarDays(int y, int m, int d, int offset, int ey, int em, int ed) =>
        Assert.Equal(new DateOnly(ey, em, ed), Calendar(new DateOnly(y, m, d)).Day(offset));

    [Fact]
    public void LocalDate_OfAnInstantJustAfterMidnightUtc_IsTheEveningBeforeInWashington() =>
        Assert.Equal(new DateOnly(2017, 10, 13), Calendar().LocalDate(new DateTimeOffset(2017, 10, 14, 3, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void AnotherZone_ShiftsTheDeadline() =>
        Assert.Equal(new DateTimeOffset(2017, 10, 14, 9, 59, 59, TimeSpan.Zero), Calendar(zone: "Pacific/Honolulu").EndOf(new DateOnly(2017, 10, 13)));
}
