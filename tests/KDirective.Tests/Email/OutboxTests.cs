using System.Text;
using KDirective.Agencies;
using KDirective.Email;
using KDirective.Reminders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KDirective.Tests.Email;

public class OutboxTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2017, 11, 9, 13, 0, 0, TimeSpan.Zero));

    private static EmailMessage Reminder(string agencyName)
    {
        var agency = new Agency("doc", agencyName, ["ciso@doc.example.gov"], ["cio@doc.example.gov"]);
        var calendar = Directive.DirectiveCalendarTests.Calendar();
        var due = new DateOnly(2017, 11, 12);
        var point = new ReminderPoint("doc", "plan", 0, "before-3", ReminderKinds.Upcoming, new DateOnly(2017, 11, 9), due, 3);
        var milestones = new KDirective.Directive.AgencyMilestones(
            [new KDirective.Directive.MilestoneState("plan", 0, due, calendar.EndOf(due), KDirective.Directive.MilestoneStateKind.Pending)], null);
        return ReminderDigest.Compose(calendar, agency, [point], milestones, Clock.GetUtcNow(), Clock.GetUtcNow()).Message;
    }

    [Fact]
    public void Reminder_SubjectStatesDirectiveMilestoneAndDate()
    {
        var message = Reminder("Department of Commerce");

        Assert.Equal("BOD 17-01: removal plan due in 3 days (Sun 12 Nov 2017) - Department of Commerce", message.Subject);
        Assert.Equal(["ciso@doc.example.gov"], message.To);
        Assert.Empty(message.Cc);
        var ics = Encoding.UTF8.GetString(Assert.Single(message.Attachments).Content);
        Assert.Contains("DTSTART;VALUE=DATE:20171112", ics);
        Assert.Contains("SUMMARY:BOD 17-01: removal plan due", ics);
    }

    [Fact]
    public async Task Outbox_WritesAReadableEmlFile_WithoutHeaderInjection()
    {
        var folder = Path.Combine(Path.GetTempPath(), "kdirective-tests", "outbox-" + Guid.NewGuid().ToString("N"));
        var sender = new OutboxEmailSender(Options.Create(new EmailOptions { Outbox = folder }), Clock);

        var result = await sender.SendAsync(Reminder("Министерство\r\nBcc: attacker@example.com"));

        Assert.True(result.Sent);
        var eml = await File.ReadAllTextAsync(result.Location!);
        var headers = eml[..eml.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        Assert.DoesNotContain(headers, h => h.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase));
        var subject = Assert.Single(headers, h => h.StartsWith("Subject: ", StringComparison.Ordinal));
        Assert.StartsWith("Subject: =?utf-8?B?", subject);
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(subject["Subject: =?utf-8?B?".Length..^2]));
        Assert.EndsWith("- Министерство  Bcc: attacker@example.com", decoded);
        Assert.Contains("To: ciso@doc.example.gov", headers);
        var from = Assert.Single(headers, h => h.StartsWith("From: ", StringComparison.Ordinal)); // the default sender, by name
        Assert.Equal("From: Directive Notifications <bod-notifications@example.gov>", from);
        Assert.Contains("Content-Disposition: attachment; filename=\"deadlines.ics\"", eml);
        Assert.EndsWith(".eml", result.Location);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }
}
