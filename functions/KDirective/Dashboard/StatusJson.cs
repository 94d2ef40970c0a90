using System.Text.Json;
using KDirective.Inventory;

namespace KDirective.Dashboard;

/// <summary>
/// <c>status --json</c>: the same array as before, written one row at a time and flushed as it goes, so 10,000
/// agencies need no more memory than ten.
/// </summary>
public static class StatusJson
{
    public static async Task WriteAsync(IAsyncEnumerable<StatusRow> rows, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteAsync('[');
        var first = true;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await output.WriteAsync(first ? "\n" : ",\n");
            await output.WriteAsync(JsonSerializer.Serialize(row, InventoryJson.Options));
            await output.FlushAsync(cancellationToken);
            first = false;
        }

        await output.WriteLineAsync(first ? "]" : "\n]");
    }
}
