using KDirective.Inventory;
using KDirective.Storage;

namespace KDirective.Cli;

/// <summary>
/// The human-readable form of an inventory report. Every value that comes from the upload goes through
/// <see cref="LogSafe"/>, so control characters and bidi controls in a file never reach the terminal.
/// </summary>
internal static class InspectText
{
    private const int RejectionsShown = 20;
    private const int ValueShown = 200;

    public static void Write(InventoryReport report, TextWriter output)
    {
        output.WriteLine($"{Safe(report.File)}: {(report.Accepted ? "accepted" : "REJECTED")}");
        if (report.Error is not null)
        {
            output.WriteLine($"  reason:    {Safe(report.Error, 2000)}");
        }

        output.WriteLine($"  format:    {report.Format ?? "-"}   encoding: {report.Encoding ?? "-"}   delimiter: {(report.Delimiter == "\t" ? "tab" : Safe(report.Delimiter ?? "-"))}");
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
            var hidden = finding.Obfuscated ? " (written with look-alike characters)" : string.Empty;
            output.WriteLine($"  found:     {Safe(finding.Product)}: {finding.Endpoints} endpoint(s); versions {Safe(string.Join(", ", finding.Versions.DefaultIfEmpty("unknown")), 2000)}{hidden}");
        }

        foreach (var possible in report.PossibleFindings.Take(RejectionsShown))
        {
            output.WriteLine($"  possible:  line {possible.Line}: rejected, but looks like {Safe(possible.Product)}: {Safe(possible.Text)}");
        }

        if (report.PossibleFindingCount > RejectionsShown)
        {
            output.WriteLine($"  ... and {report.PossibleFindingCount - RejectionsShown} more possible findings in rejected rows (see --json)");
        }

        foreach (var rejection in report.Rejections.Take(RejectionsShown))
        {
            output.WriteLine($"  rejected:  line {rejection.Line}: {Safe(rejection.Reason, 2000)}");
        }

        if (report.RowsRejected > RejectionsShown)
        {
            output.WriteLine($"  ... and {report.RowsRejected - RejectionsShown} more rejected rows (see --json)");
        }
    }

    public static string FormatMatch(InventoryMatch m)
    {
        var hidden = m.Obfuscated ? " (look-alike characters)" : string.Empty;
        return $"  match:     line {m.Line}: {(m.Hostname is null ? $"({m.Endpoints} endpoints)" : Safe(m.Hostname))} | {Safe(m.Publisher)} | {Safe(m.Name)} | {Safe(m.Version)} -> {Safe(m.Product)}{hidden}";
    }

    private static string Safe(string? value, int max = ValueShown) => LogSafe.Of(value, max);

    private static string Show(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n/a (aggregated)";
}
