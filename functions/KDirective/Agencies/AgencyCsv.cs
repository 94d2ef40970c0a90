using CsvHelper;
using KDirective.Inventory;

namespace KDirective.Agencies;

/// <summary>
/// Reads <c>AgencyId,Name,ContactEmails,EscalationEmails</c> and an optional <c>UploaderGroupId</c> (the Entra group
/// that sees the agency's dashboard pages); several emails share a field, separated by <c>;</c>.
/// </summary>
public static class AgencyCsv
{
    public static readonly string[] Header = ["AgencyId", "Name", "ContactEmails", "EscalationEmails"];

    public sealed record ReadResult(IReadOnlyList<Agency> Agencies, IReadOnlyList<Rejection> Rejections);

    public static async Task<ReadResult> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var options = new CsvReaderOptions { TrackLineNumbers = true, MaxRecordSize = 1 << 16 };
        await using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        var agencies = new List<Agency>();
        var rejections = new List<Rejection>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await csv.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        var missing = Header.Where(h => !csv.Headers.Contains(h, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (missing.Length > 0)
        {
            return new ReadResult([], [new Rejection(1, $"the header must be {string.Join(',', Header)}; missing {string.Join(", ", missing)}")]);
        }

        var hasGroup = csv.Headers.Contains("UploaderGroupId", StringComparer.OrdinalIgnoreCase);
        while (await csv.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = csv.GetString("AgencyId").Trim();
            var name = csv.GetString("Name").Trim();
            var contacts = Emails(csv.GetString("ContactEmails"));
            var escalation = Emails(csv.GetString("EscalationEmails"));
            var group = hasGroup ? csv.GetString("UploaderGroupId").Trim() : string.Empty;
            var reason =
                !Agency.IsValidId(id) ? $"agency id '{Short(id)}' must be 2-32 lowercase letters, digits and hyphens"
                : !seen.Add(id) ? $"agency id '{id}' appears twice"
                : name.Length is 0 or > 200 ? "the name must be 1-200 characters"
                : name.Any(char.IsControl) ? "the name contains a control character"
                : contacts.Length == 0 ? "at least one contact email is required"
                : contacts.Concat(escalation).FirstOrDefault(HasHiddenCharacter) is { } hidden ? $"'{Short(hidden)}' contains a control or invisible formatting character (such as a right-to-left override)"
                : contacts.Concat(escalation).FirstOrDefault(e => !Agency.IsValidEmail(e)) is { } bad ? $"'{Short(bad)}' is not an email address"
                : group.Length > 0 && !Agency.IsValidGroupId(group) ? $"UploaderGroupId '{Short(group)}' is not a group object id (a GUID)"
                : null;
            if (reason is null)
            {
                agencies.Add(new Agency(id, name, contacts, escalation, group.Length > 0 ? group.ToLowerInvariant() : null));
            }
            else
            {
                rejections.Add(new Rejection(csv.LineNumber, reason));
            }
        }

        return new ReadResult(agencies, rejections);
    }

    /// <summary>Control or format characters (bidi overrides, zero-width) have no place in an address and can disguise one.</summary>
    private static bool HasHiddenCharacter(string email) =>
        email.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);

    private static string[] Emails(string field) =>
        field.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>A value from the file, shown in a message: bounded, control characters made visible.</summary>
    private static string Short(string value) => Storage.LogSafe.Of(value, 60);
}
