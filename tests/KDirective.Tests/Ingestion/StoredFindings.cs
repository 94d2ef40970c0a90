using System.Text.Json;
using Azure.Data.Tables;
using KDirective.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Ingestion;

/// <summary>
/// An agency's findings read straight from the table (not through the store under test): each packed row's JSON is
/// parsed here, and every finding comes back with the partition of its row.
/// </summary>
internal static class StoredFindings
{
    public static async Task<List<(string PartitionKey, string RowKey, string Key)>> OfAsync(IServiceProvider services, string agency)
    {
        var table = services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.FindingsTable);
        var findings = new List<(string, string, string)>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Agency eq {agency}")))
        {
            using var json = Parse(row);
            foreach (var finding in json.RootElement.EnumerateArray())
            {
                findings.Add((row.PartitionKey, row.RowKey, finding.GetProperty("k").GetString()!));
            }
        }

        return findings;
    }

    /// <summary>A packed row's JSON: UTF-8 in its binary property, or a string in rows written before 2026-12-06.</summary>
    public static JsonDocument Parse(TableEntity row) =>
        row.GetBinary("Findings") is { } utf8 ? JsonDocument.Parse(utf8) : JsonDocument.Parse(row.GetString("FindingsJson"));
}
