using System.Globalization;
using CsvHelper;
using KDirective.Ingestion;

namespace KDirective.Dashboard;

/// <summary>An agency's current findings for a spreadsheet. Hostnames and products come from uploads: formulas stay text.</summary>
public static class FindingsCsv
{
    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public static void Write(IEnumerable<FindingEntity> findings, TextWriter output)
    {
        using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        csv.WriteHeader(["Agency", "Hostname", "Product", "Version", "Endpoints", "Line"]);
        foreach (var f in findings.OrderBy(f => f.Hostname, StringComparer.OrdinalIgnoreCase).ThenBy(f => f.Product, StringComparer.Ordinal))
        {
            csv.WriteRecord([f.Agency, f.Hostname ?? string.Empty, f.Product, f.Version ?? string.Empty, f.Endpoints.ToString(CultureInfo.InvariantCulture), f.Line.ToString(CultureInfo.InvariantCulture)]);
        }

        csv.Flush();
    }
}
