using CsvHelper;

namespace KDirective.Dashboard;

/// <summary>
/// <c>status --csv</c>, for operators who open it in a spreadsheet. Product names can come from uploads, so a
/// value that a spreadsheet would run as a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, …) is written as text.
/// </summary>
public static class StatusCsv
{
    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public static void Write(IEnumerable<StatusRow> rows, TextWriter output)
    {
        using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        csv.WriteHeader(["Agency", "Name", "InventoryReceived", "EndpointsAffected", "Products", "Milestones", "RemovalCompleted"]);
        foreach (var r in rows)
        {
            csv.WriteRecord(
            [
                r.Agency,
                r.Name,
                r.InventoryReceivedAt?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "MISSING",
                r.EndpointsAffected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
                string.Join("; ", r.Products.Select(p => $"{p.Product} ({p.Endpoints})")),
                string.Join("; ", r.Milestones.Select(m => $"{m.Milestone}{(m.Period > 0 ? $" {m.Period}" : string.Empty)} due {m.DueDate:yyyy-MM-dd}: {m.Describe}")),
                r.RemovalCompletedAt?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            ]);
        }

        csv.Flush();
    }
}
