using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace KDirective.Inventory;

/// <summary>
/// Writes <see cref="InventoryJson"/>'s documents straight to a <see cref="Utf8JsonWriter"/>, byte for byte what
/// <see cref="JsonSerializer"/> writes with <see cref="InventoryJson.Options"/> (the tests compare the two). It exists
/// for start-up: the serializer, even with generated code, compiles about 150 generic methods on its first call (33-60 ms,
/// a third or more of what a small file's <c>inspect --json</c> paid beyond the bare CSV loop).
/// </summary>
public static class InventoryJsonWriter
{
    // Readable for Cyrillic, yet still escapes the HTML-significant characters < > & ' ".
    private static readonly JavaScriptEncoder HtmlSafe = JavaScriptEncoder.Create(UnicodeRanges.All);
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = HtmlSafe };
    private static readonly JsonWriterOptions Compact = new() { Indented = false, Encoder = HtmlSafe };

    /// <summary>The encoder of every KDirective JSON document (also <see cref="InventoryJson.Options"/>'s).</summary>
    public static JavaScriptEncoder Encoder => HtmlSafe;

    /// <summary>The document of <c>inspect --json</c> (without matches), indented.</summary>
    public static string Serialize(InventoryReport report) => Write(report, Indented, 4096, static (json, report) =>
        {
            json.WriteStartObject();
            json.WriteString("file", report.File);
            WriteNullable(json, "format", report.Format);
            WriteNullable(json, "encoding", report.Encoding);
            WriteNullable(json, "delimiter", report.Delimiter);
            json.WriteBoolean("accepted", report.Accepted);
            WriteNullable(json, "error", report.Error);
            json.WriteNumber("rowsRead", report.RowsRead);
            json.WriteNumber("rowsRejected", report.RowsRejected);
            json.WriteStartArray("rejections");
            foreach (var rejection in report.Rejections)
            {
                json.WriteStartObject();
                json.WriteNumber("line", rejection.Line);
                json.WriteString("reason", rejection.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteNullable(json, "endpointsScanned", report.EndpointsScanned);
            WriteNullable(json, "endpointsAffected", report.EndpointsAffected);
            json.WriteStartArray("findings");
            foreach (var finding in report.Findings)
            {
                json.WriteStartObject();
                json.WriteString("product", finding.Product);
                json.WriteNumber("endpoints", finding.Endpoints);
                json.WriteStartArray("versions");
                foreach (var version in finding.Versions)
                {
                    json.WriteStringValue(version);
                }

                json.WriteEndArray();
                json.WriteBoolean("obfuscated", finding.Obfuscated);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("possibleFindings");
            foreach (var possible in report.PossibleFindings)
            {
                json.WriteStartObject();
                json.WriteNumber("line", possible.Line);
                json.WriteString("product", possible.Product);
                json.WriteString("text", possible.Text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("possibleFindingCount", report.PossibleFindingCount);
            json.WriteEndObject();
        });

    /// <summary>One match on one line, as <c>inspect --json --matches</c> streams them.</summary>
    public static string SerializeMatch(InventoryMatch match) => Write(match, Compact, 256, static (json, match) =>
        {
            json.WriteStartObject();
            json.WriteNumber("line", match.Line);
            WriteNullable(json, "hostname", match.Hostname);
            WriteNullable(json, "publisher", match.Publisher);
            json.WriteString("name", match.Name);
            WriteNullable(json, "version", match.Version);
            json.WriteString("product", match.Product);
            json.WriteBoolean("obfuscated", match.Obfuscated);
            json.WriteEndObject();
        });

    private static string Write<T>(T value, JsonWriterOptions options, int capacity, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(capacity);
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            write(json, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
