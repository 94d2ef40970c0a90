using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Reminders;
using static KDirective.Email.EmailText;

namespace KDirective.Email;

/// <summary>A deadline reminder, e.g. "BOD 17-01: removal plan due in 3 days (Sun 12 Nov 2017) - Department of Commerce".</summary>
public static class ReminderEmail
{
    public static EmailMessage Compose(DirectiveOptions directive, Agency agency, ReminderPoint point, DateTimeOffset now)
    {
        var title = MilestoneIds.Title(point.Milestone) + (point.Milestone == MilestoneIds.Status ? $" {point.Period}" : string.Empty);
        var date = Date(point.DueDate);
        var phrase = point.Kind switch
        {
            ReminderKinds.Upcoming => $"{title} due in {point.DaysBefore} day{(point.DaysBefore == 1 ? string.Empty : "s")} ({date})",
            ReminderKinds.Due => $"{title} due today ({date})",
            ReminderKinds.Overdue => $"{title} OVERDUE since {date}",
            _ => $"removal of {directive.Vendor} products begins ({date})",
        };
        var subject = SubjectSafe($"{directive.Name}: {phrase} - {agency.Name}");

        var body = new EmailText()
            .Paragraph(Value.Plain("To the "), Value.Bold(agency.Name), Value.Plain(" directive contacts,"))
            .Paragraph(Value.Plain(What(directive, point, title, date)))
            .Paragraph(Value.Plain(How(point.Milestone, agency.Id)));
        if (point.Kind == ReminderKinds.Overdue)
        {
            body.Paragraph(Value.Plain("Your agency's escalation contacts are copied on this notice because the deadline has passed."));
        }

        body.Paragraph(Value.Plain($"This is an automated reminder for {directive.Name}. Reminders stop as soon as the milestone is met."));
        var (text, html) = body.Build();
        IReadOnlyList<EmailAttachment> attachments = point.Kind is ReminderKinds.Upcoming or ReminderKinds.Due
            ? [IcsCalendar.ForDueDate($"{agency.Id}-{point.Milestone}-{point.Period}", point.DueDate, $"{directive.Name}: {title} due", phrase, now)]
            : [];
        return new EmailMessage(
            $"reminder-{agency.Id}-{point.Key}",
            agency.ContactEmails,
            point.Kind == ReminderKinds.Overdue ? agency.EscalationEmails : [],
            subject,
            text,
            html,
            attachments);
    }

    private static string What(DirectiveOptions directive, ReminderPoint point, string title, string date) => point.Kind switch
    {
        ReminderKinds.Overdue => $"Your {title} under {directive.Name} was due by the end of {date} ({directive.TimeZone} time) and has not been received.",
        ReminderKinds.Notice => $"{directive.Name} requires agencies with {directive.Vendor}-branded products to begin removing them today, {date}, and to report status every {directive.StatusEveryDays} days until every endpoint is clean.",
        _ => $"Your {title} under {directive.Name} is due by the end of {date}.",
    };

    private static string How(string milestone, string agency) => milestone switch
    {
        MilestoneIds.Plan => $"Upload your removal plan (any document) to plans/{agency}/ in the directive's storage account.",
        MilestoneIds.Implementation => $"Upload a new inventory to inventories/{agency}/ as removal progresses; an inventory with no findings completes removal.",
        _ => $"Upload your inventory export to inventories/{agency}/ in the directive's storage account. An inventory with no findings is a valid report.",
    };
}
