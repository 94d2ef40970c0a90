using System.Text.Json;
using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Ingestion;
using KDirective.Inventory;
using static KDirective.Email.EmailText;

namespace KDirective.Email;

/// <summary>The receipt for a processed submission: what was received, what was found or why it was rejected, what is due next.</summary>
public static class ReceiptEmail
{
    private const int RejectedLinesShown = 10;

    public static EmailMessage Compose(DirectiveOptions directive, Agency agency, SubmissionEntity submission, MilestoneState? nextDue)
    {
        var what = submission.Kind == SubmissionKinds.Plan ? "removal plan" : "inventory";
        var file = Path.GetFileName(submission.BlobName);
        var check = submission.IsAccepted && submission.PossibleFindingCount > 0 ? $", {submission.PossibleFindingCount} line(s) to check" : string.Empty;
        var subject = SubjectSafe($"{directive.Name}: {what} {(submission.IsAccepted ? "received" : "REJECTED")}{check} ({file}) - {agency.Name}");
        var body = new EmailText()
            .Paragraph(Value.Plain("To the "), Value.Bold(agency.Name), Value.Plain(" directive contacts,"))
            .Paragraph(Value.Plain($"We received your {what} "), Value.Bold(file), Value.Plain($" on {submission.ReceivedAt:yyyy-MM-dd HH:mm} UTC and "),
                Value.Plain(submission.IsAccepted ? "accepted it." : "could not accept it."));

        if (!submission.IsAccepted)
        {
            body.Paragraph(Value.Plain("Reason: "), submission.Error ?? "unknown");
        }
        else if (submission.Kind == SubmissionKinds.Inventory)
        {
            var findings = JsonSerializer.Deserialize<List<InventoryJson.FindingDto>>(submission.FindingsJson, InventoryJson.Options) ?? [];
            body.Paragraph(Value.Plain($"Format {submission.Format}; {submission.RowsRead} rows read, {submission.RowsRejected} rejected; " +
                                       $"{(submission.EndpointsAffected?.ToString() ?? "an aggregated count of")} endpoints affected."));
            if (findings.Count == 0 && submission.PossibleFindingCount == 0)
            {
                body.Paragraph(Value.Plain($"No {directive.Vendor}-branded products were found. This inventory reports that none are present."));
            }
            else if (findings.Count == 0)
            {
                // Saying "none are present" here would be the silent miss the reader exists to prevent.
                body.Paragraph(Value.Plain($"No rows were counted as {directive.Vendor}-branded products, but some lines look like them (below)."));
            }
            else
            {
                body.Paragraph(Value.Plain($"{directive.Vendor}-branded products found:"))
                    .List(findings.Select(f => new Value[] { f.Product, Value.Plain($": {f.Endpoints} endpoint(s)") }));
            }
        }

        var rejections = JsonSerializer.Deserialize<List<InventoryJson.RejectionDto>>(submission.RejectionsJson, InventoryJson.Options) ?? [];
        if (rejections.Count > 0)
        {
            body.Paragraph(Value.Plain($"Rejected rows ({submission.RowsRejected}); the first, by line in your file:"))
                .List(rejections.Take(RejectedLinesShown).Select(r => new Value[] { Value.Plain($"line {r.Line}: "), r.Reason }));
        }

        if (submission.PossibleFindingCount > 0)
        {
            var possible = JsonSerializer.Deserialize<List<InventoryJson.PossibleFindingDto>>(submission.PossibleFindingsJson, InventoryJson.Options) ?? [];
            body.Paragraph(Value.Plain($"Lines that look like {directive.Vendor}-branded products but were not counted ({submission.PossibleFindingCount}): " +
                                       "a broken row, or the name outside the product columns. Check them, and if they are such products, upload a corrected file. The first:"))
                .List(possible.Select(p => new Value[] { Value.Plain($"line {p.Line}: "), p.Product, Value.Plain(" in "), p.Text }));
        }

        body.Paragraph(Value.Plain(nextDue is null
            ? "Nothing further is due from your agency at this time."
            : $"Next due: {MilestoneIds.Title(nextDue.Milestone)}{(nextDue.Milestone == MilestoneIds.Status ? $" {nextDue.Period}" : string.Empty)} by the end of {Date(nextDue.DueDate)}."));
        body.Paragraph(Value.Plain($"The full result is in results/{agency.Id}/ in the directive's storage account."));
        var (text, html) = body.Build();
        return new EmailMessage($"receipt-{agency.Id}-{submission.SubmissionId}", agency.ContactEmails, [], subject, text, html, []);
    }
}
