using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Email;
using KDirective.Ingestion;
using Microsoft.Extensions.Options;

namespace KDirective.Tests.Directive;

/// <summary>With no configuration, the directive enforced is BOD 17-01: Kaspersky, due dates in Washington's time.</summary>
public class DirectiveDefaultsTests
{
    [Fact]
    public void UnconfiguredDeadlines_EndAtMidnightInWashington()
    {
        var calendar = new DirectiveCalendar(Options.Create(new DirectiveOptions()));

        Assert.Equal(new DateTimeOffset(2017, 10, 14, 3, 59, 59, TimeSpan.Zero), calendar.EndOf(calendar.Day(calendar.Options.InventoryDays)));
    }

    [Fact]
    public void UnconfiguredEmails_NameBod1701AndKaspersky()
    {
        var agency = new Agency("sba", "Small Business Administration", ["it@sba.example.gov"], []);
        var submission = new SubmissionEntity
        {
            PartitionKey = "sba",
            RowKey = "s1",
            BlobName = "sba/inventory.csv",
            Outcome = SubmissionOutcomes.Accepted,
            State = SubmissionEntity.Complete,
            ReceivedAt = new DateTimeOffset(2017, 10, 2, 14, 0, 0, TimeSpan.Zero),
            EndpointsAffected = 0,
        };

        var receipt = ReceiptEmail.Compose(new DirectiveOptions(), agency, submission, null);

        Assert.StartsWith("BOD 17-01: inventory received", receipt.Subject, StringComparison.Ordinal);
        Assert.Contains("No Kaspersky-branded products were found.", receipt.Text, StringComparison.Ordinal);
    }
}
