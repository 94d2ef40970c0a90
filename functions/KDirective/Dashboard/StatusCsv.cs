using CsvHelper;

namespace KDirective.Dashboard;

/// <summary>
/// <c>status --csv</c> and <c>/api/status.csv</c>, for operators who open it in a spreadsheet. Product names can come
/// from uploads, so a value that a spreadsheet would run as a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, …) is
/// written as text. Rows are written as they come, so memory does not grow with agencies.
/// </summary>
public static class StatusCsv
{
    private static readonly string[] Header = ["Agency", "Name", "InventoryReceived", "EndpointsAffected", "Products", "Milestones", "RemovalCompleted", "Coverage", "Hosts"];

    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public static void Write(IEnumerable<StatusRow> rows, TextWriter output)
    {
        using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        csv.WriteHeader(Header);
        foreach (var r in rows)
        {
            csv.WriteRecord(Record(r));
        }

        csv.Flush();
    }

    public static async Task WriteAsync(IAsyncEnumerable<StatusRow> rows, TextWriter output, CancellationToken cancellationToken)
    {
        using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        csv.WriteHeader(Header);
        await foreach (var r in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            csv.WriteRecord(Record(r));
            csv.Flush();
        }
    }

    private static string[] Record(StatusRow r) =>
    [
        r.Agency,
        r.Name,
        r.InventoryReceivedAt?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "MISSING",
        r.EndpointsAffected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            string.Join("; ", r.Products.Select(p => $"{p.Product} ({p.Endpoints})")),
            string.Join("; ", r.Milestones.Select(m => $"{m.Milestone}{(m.Period > 0 ? $" {m.Period}" : string.Empty)} due {m.DueDate:yyyy-MM-dd}: {m.Describe}")),
        r.RemovalCompletedAt?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
        r.Coverage ?? string.Empty,
        r.HostsLine() ?? string.Empty,
    ];
}
