using System.Text.Json;
using KDirective.Directive;
using KDirective.Email;
using KDirective.Inventory;
using KDirective.Reminders;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli;

/// <summary>
/// <c>kdirective remind [--as-of YYYY-MM-DD] [--dry-run] [--json]</c>: the reminder timer's service, once. One digest per
/// agency; <c>alreadySent</c> counts the items other runs had sent.
/// </summary>
internal static class RemindCommand
{
    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string> { "--dry-run", "--json" }, new HashSet<string> { "--as-of", "--storage" });
        if (parsed.Positionals.Count != 0)
        {
            throw new UsageException("remind [--as-of YYYY-MM-DD] [--dry-run] [--json]");
        }

        await using var services = await CliServices.CreateAsync(parsed.Get("--storage"), cancellationToken);
        var asOf = AsOf.Parse(parsed.Get("--as-of"), services.GetRequiredService<DirectiveCalendar>());
        var result = await services.GetRequiredService<ReminderService>().RunAsync(asOf, parsed.Has("--dry-run"), cancellationToken);
        if (parsed.Has("--json"))
        {
            var document = new
            {
                asOf = result.AsOf,
                sent = result.Sent.Select(Row),
                alreadySent = result.AlreadySent,
                failed = result.Failed.Select(Row),
            };
            await output.WriteLineAsync(JsonSerializer.Serialize(document, InventoryJson.Options));
        }
        else
        {
            var verb = parsed.Has("--dry-run") ? "would send" : "sent";
            foreach (var s in result.Sent)
            {
                await output.WriteLineAsync($"{verb}: {s.Subject}  to {string.Join(", ", s.To)}{(s.Cc.Count > 0 ? $"  cc {string.Join(", ", s.Cc)}" : string.Empty)}");
            }

            foreach (var f in result.Failed)
            {
                await output.WriteLineAsync($"FAILED (will retry): {f.Subject}: {f.Error}");
            }

            await output.WriteLineAsync($"as of {result.AsOf:yyyy-MM-dd HH:mm} UTC: {result.Sent.Count} digest(s) {verb}, {result.AlreadySent} item(s) already sent, {result.Failed.Count} failed; " +
                                        $"emails go to {services.GetRequiredService<IEmailSender>().Destination}");
        }

        return result.Failed.Count == 0 ? 0 : CliShell.Failure;
    }

    private static object Row(SentDigest s) => s.Error is null
        ? new { agency = s.Agency, to = s.To, cc = s.Cc, subject = s.Subject, items = s.Items.Select(Item) }
        : new { agency = s.Agency, to = s.To, cc = s.Cc, subject = s.Subject, items = s.Items.Select(Item), error = s.Error };

    private static object Item(DigestItem i) => new { milestone = i.Milestone, period = i.Period, kind = i.Kind };
}
