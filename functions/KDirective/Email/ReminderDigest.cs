using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Reminders;
using static KDirective.Email.EmailText;

namespace KDirective.Email;

/// <summary>
/// One agency's reminder email for one run: every item due, most urgent first, each with its due date and what meets
/// it. The subject names the most urgent item and how many more there are ("{directive}: removal plan OVERDUE and 2
/// more - {agency}"); the names come from the directive's configuration.
/// </summary>
public sealed record ReminderDigest(EmailMessage Message, IReadOnlyList<ReminderPoint> Items)
{
    public static ReminderDigest Compose(DirectiveCalendar calendar, Agency agency, IReadOnlyList<ReminderPoint> items, AgencyMilestones milestones, DateTimeOffset asOf, DateTimeOffset now)
    {
        var directive = calendar.Options;
        var today = calendar.LocalDate(asOf);
        var ordered = items.Order(ReminderPoint.Urgency).ToArray();
        var first = ordered[0];
        var subject = SubjectSafe(ordered.Length == 1
            ? $"{directive.Name}: {Phrase(first)} - {agency.Name}"
            : $"{directive.Name}: {ShortPhrase(first)} and {ordered.Length - 1} more - {agency.Name}");
        var overdue = ordered.Any(i => i.Kind == ReminderKinds.Overdue);

        var body = new EmailText()
            .Paragraph(Value.Plain("To the "), Value.Bold(agency.Name), Value.Plain(" directive contacts,"))
            .Paragraph(Value.Plain(ordered.Length == 1
                ? $"One {directive.Name} deadline needs your attention:"
                : $"{ordered.Length} {directive.Name} deadlines need your attention, most urgent first:"))
            .List(ordered.Select(i => new[] { Value.Bold(Phrase(i)), Value.Plain($". {When(i, directive)}{How(i.Milestone, agency.Id)}") }));

        var context = Context(directive, milestones, ordered, today).ToArray();
        if (context.Length > 0)
        {
            body.Paragraph(Value.Plain("Where your agency stands:")).List(context.Select(c => new[] { Value.Plain(c) }));
        }

        if (overdue)
        {
            body.Paragraph(Value.Plain("Your agency's escalation contacts are copied because a deadline has passed."));
        }

        var upcoming = IcsCalendar.Deadlines(calendar, agency, milestones, today, now);
        body.Paragraph(Value.Plain($"This is an automated reminder for {directive.Name}. Reminders stop as soon as a milestone is met." +
                                   (upcoming is null ? string.Empty : " The attached calendar holds every upcoming deadline; it updates the events it sent before.")));
        var (text, html) = body.Build();
        var message = new EmailMessage(
            $"reminder-{agency.Id}-{today:yyyyMMdd}",
            agency.ContactEmails,
            overdue ? agency.EscalationEmails : [],
            subject,
            text,
            html,
            upcoming is null ? [] : [upcoming]);
        return new ReminderDigest(message, ordered);
    }

    public static string Title(string milestone, int period) =>
        MilestoneIds.Title(milestone) + (milestone == MilestoneIds.Status ? $" {period}" : string.Empty);

    private static string Phrase(ReminderPoint i) => i.Kind switch
    {
        ReminderKinds.Upcoming => $"{ShortPhrase(i)} ({Date(i.DueDate)})",
        ReminderKinds.Due => $"{ShortPhrase(i)} ({Date(i.DueDate)})",
        _ => $"{ShortPhrase(i)} since {Date(i.DueDate)}",
    };

    private static string When(ReminderPoint i, DirectiveOptions directive) =>
        i.Kind == ReminderKinds.Overdue ? string.Empty : $"Due by the end of {Date(i.DueDate)} ({directive.TimeZone} time). ";

    private static string ShortPhrase(ReminderPoint i) => i.Kind switch
    {
        ReminderKinds.Upcoming => $"{Title(i.Milestone, i.Period)} due in {i.DaysBefore} day{(i.DaysBefore == 1 ? string.Empty : "s")}",
        ReminderKinds.Due => $"{Title(i.Milestone, i.Period)} due today",
        _ => $"{Title(i.Milestone, i.Period)} OVERDUE",
    };

    /// <summary>
    /// Past events are context, never news: a day that has gone by is mentioned as what it was, and milestones still
    /// open that this digest carries no item for are listed so the email tells the whole story.
    /// </summary>
    private static IEnumerable<string> Context(DirectiveOptions directive, AgencyMilestones milestones, IReadOnlyList<ReminderPoint> items, DateOnly today)
    {
        bool InDigest(MilestoneState s) => items.Any(i => i.Milestone == s.Milestone && i.Period == s.Period);
        foreach (var s in milestones.States.Where(s => s.DueDate < today && !InDigest(s)))
        {
            if (s.Milestone == MilestoneIds.Implementation && s.State != MilestoneStateKind.NotRequired && milestones.RemovalCompletedAt is null)
            {
                yield return $"Removal of {directive.Vendor} products was due to begin on {Date(s.DueDate)}; status reports follow every {directive.StatusEveryDays} days until an inventory shows none.";
            }
            else if (s.Milestone != MilestoneIds.Implementation && s.State is not (MilestoneStateKind.Met or MilestoneStateKind.NotRequired))
            {
                yield return $"{Title(s.Milestone, s.Period)}: still outstanding since {Date(s.DueDate)}.";
            }
        }
    }

    private static string How(string milestone, string agency) => milestone switch
    {
        MilestoneIds.Plan => $"Met by uploading your removal plan (any document) to plans/{agency}/ in the directive's storage account.",
        MilestoneIds.Implementation => $"Met by an inventory in inventories/{agency}/ showing fewer affected endpoints than your first, or none.",
        MilestoneIds.Status => $"Met by a new inventory in inventories/{agency}/; one with no findings completes removal.",
        _ => $"Met by uploading your inventory export to inventories/{agency}/ in the directive's storage account; an inventory with no findings is a valid report.",
    };
}
