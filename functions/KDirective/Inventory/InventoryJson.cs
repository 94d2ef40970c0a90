using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace KDirective.Inventory;

/// <summary>
/// The stable JSON document of <c>kdirective inspect --json</c>, also stored as the uploader's result blob.
/// Other tools read it: add members at the end, never rename or remove one.
/// </summary>
public static class InventoryJson
{
    /// <summary>Readable for Cyrillic, yet still escapes the HTML-significant characters &lt; &gt; &amp; ' ".</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = InventoryJsonWriter.Encoder,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = true,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(InventoryJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    /// <summary>The same, on one line (one match per line in a streamed document).</summary>
    public static JsonSerializerOptions CompactOptions { get; } = new(Options) { WriteIndented = false };

    public static Document ToDocument(InventoryReport report, bool includeMatches) => new(
        report.File, report.Format, report.Encoding, report.Delimiter, report.Accepted, report.Error,
        report.RowsRead, report.RowsRejected,
        report.Rejections.Select(r => new RejectionDto(r.Line, r.Reason)).ToArray(),
        report.EndpointsScanned, report.EndpointsAffected,
        report.Findings.Select(f => new FindingDto(f.Product, f.Endpoints, f.Versions, f.Obfuscated)).ToArray(),
        includeMatches ? report.Matches.Select(ToDto).ToArray() : null,
        report.PossibleFindings.Select(p => new PossibleFindingDto(p.Line, p.Product, p.Text)).ToArray(),
        report.PossibleFindingCount);

    public static MatchDto ToDto(InventoryMatch m) => new(m.Line, m.Hostname, m.Publisher, m.Name, m.Version, m.Product, m.Obfuscated);

    public sealed record Document(
        string File,
        string? Format,
        string? Encoding,
        string? Delimiter,
        bool Accepted,
        string? Error,
        long RowsRead,
        long RowsRejected,
        IReadOnlyList<RejectionDto> Rejections,
        long? EndpointsScanned,
        long? EndpointsAffected,
        IReadOnlyList<FindingDto> Findings,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MatchDto>? Matches,
        IReadOnlyList<PossibleFindingDto> PossibleFindings,
        long PossibleFindingCount);

    public sealed record RejectionDto(long Line, string Reason);

    public sealed record FindingDto(string Product, long Endpoints, IReadOnlyList<string> Versions, bool Obfuscated = false);

    public sealed record MatchDto(long Line, string? Hostname, string? Publisher, string Name, string? Version, string Product, bool Obfuscated = false);

    /// <summary>A line of a rejected record that the catalog would match (see <see cref="PossibleFinding"/>).</summary>
    public sealed record PossibleFindingDto(long Line, string Product, string Text);
}
