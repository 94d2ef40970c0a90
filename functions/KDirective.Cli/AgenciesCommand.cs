using System.Text.Json;
using KDirective.Agencies;
using KDirective.Inventory;
using KDirective.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli;

/// <summary><c>kdirective agencies import &lt;file&gt;</c> and <c>kdirective agencies list [--json]</c>.</summary>
internal static class AgenciesCommand
{
    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string> { "--json" }, new HashSet<string> { "--storage" });
        switch (parsed.Positionals)
        {
            case ["import", var file]:
                return await ImportAsync(file, parsed.Get("--storage"), output, error, cancellationToken);
            case ["list"]:
                await using (var services = await CliServices.CreateAsync(parsed.Get("--storage"), cancellationToken))
                {
                    var agencies = await services.GetRequiredService<AgencyRegistry>().ListAsync(cancellationToken);
                    if (parsed.Has("--json"))
                    {
                        var rows = agencies.Select(a => new { agency = a.Id, name = a.Name, contactEmails = a.ContactEmails, escalationEmails = a.EscalationEmails });
                        await output.WriteLineAsync(JsonSerializer.Serialize(rows, InventoryJson.Options));
                    }
                    else
                    {
                        foreach (var a in agencies)
                        {
                            // Names and addresses come from an imported file: no control characters reach the terminal.
                            await output.WriteLineAsync($"{a.Id,-12} {LogSafe.Of(a.Name),-45} to: {LogSafe.Of(string.Join(", ", a.ContactEmails), 2000)}  escalate: {LogSafe.Of(string.Join(", ", a.EscalationEmails), 2000)}");
                        }
                    }
                }

                return 0;
            default:
                throw new UsageException("agencies import <file> | agencies list [--json]");
        }
    }

    private static async Task<int> ImportAsync(string file, string? storage, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw new IOException($"{file}: no such file");
        }

        AgencyCsv.ReadResult result;
        await using (var stream = File.OpenRead(file))
        {
            result = await AgencyCsv.ReadAsync(stream, cancellationToken);
        }

        foreach (var rejection in result.Rejections)
        {
            await error.WriteLineAsync($"{LogSafe.Of(file)}: line {rejection.Line}: {LogSafe.Of(rejection.Reason, 2000)} (skipped)");
        }

        await using var services = await CliServices.CreateAsync(storage, cancellationToken);
        await services.GetRequiredService<AgencyRegistry>().UpsertAsync(result.Agencies, cancellationToken);
        await output.WriteLineAsync($"{result.Agencies.Count} agencies imported, {result.Rejections.Count} rows skipped");
        return result.Agencies.Count == 0 && result.Rejections.Count > 0 ? InspectCommand.Rejected : 0;
    }
}
