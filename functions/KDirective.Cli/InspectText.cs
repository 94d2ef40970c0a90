using KDirective.Inventory;

namespace KDirective.Cli;

/// <summary>The human-readable form of an inventory report.</summary>
internal static class InspectText
{
    private const int RejectionsShown = 20;

    public static void Write(InventoryReport report, bool matches, TextWriter output)
    {
        output.WriteLine($"{report.File}: {(report.Accepted ? "accepted" : "REJECTED")}");
        if (report.Error is not null)
        {
            output.WriteLine($"  reason:    {report.Error}");
        }

        output.WriteLine($"  format:    {report.Format ?? "-"}   encoding: {report.Encoding ?? "-"}   delimiter: {(report.Delimiter == "\t" ? "tab" : report.Delimiter ?? "-")}");
        if (!report.Accepted && report.RowsRead == 0)
        {
            return;
        }

        output.WriteLine($"  rows:      {report.RowsRead} read, {report.RowsRejected} rejected");
        output.WriteLine($"  endpoints: {Show(report.EndpointsScanned)} scanned, {Show(report.EndpointsAffected)} affected");
        if (report.Findings.Count == 0)
        {
            output.WriteLine("  findings:  none (no product of the catalog)");
        }

        foreach (var finding in report.Findings)
        {
            output.WriteLine($"  found:     {finding.Product}: {finding.Endpoints} endpoint(s); versions {string.Join(", ", finding.Versions.DefaultIfEmpty("unknown"))}");
        }

        foreach (var rejection in report.Rejections.Take(RejectionsShown))
        {
            output.WriteLine($"  rejected:  line {rejection.Line}: {rejection.Reason}");
        }

        if (report.RowsRejected > RejectionsShown)
        {
            output.WriteLine($"  ... and {report.RowsRejected - RejectionsShown} more rejected rows (see --json)");
        }

        if (matches)
        {
            foreach (var m in report.Matches)
            {
                output.WriteLine($"  match:     line {m.Line}: {m.Hostname ?? $"({m.Endpoints} endpoints)"} | {m.Publisher} | {m.Name} | {m.Version} -> {m.Product}");
            }
        }
    }

    private static string Show(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n/a (aggregated)";
}
