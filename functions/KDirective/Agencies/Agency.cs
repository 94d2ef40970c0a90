using System.Net.Mail;
using System.Text.RegularExpressions;

namespace KDirective.Agencies;

/// <summary>
/// An agency under the directive, with who hears from us and who is copied once it is late. <see cref="UploaderGroupId"/>,
/// optional, is the Entra group (object id) whose members see this agency on the dashboard.
/// </summary>
public sealed partial record Agency(string Id, string Name, IReadOnlyList<string> ContactEmails, IReadOnlyList<string> EscalationEmails, string? UploaderGroupId = null)
{
    public static bool IsValidGroupId(string? id) => Guid.TryParseExact(id, "D", out _);

    /// <summary>Lowercase letters, digits and hyphens, 2-32 characters: safe as a table key and a blob folder.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>A single plain address (no display name, no list), as SendGrid and the registry need it.</summary>
    public static bool IsValidEmail(string email) =>
        email.Length <= 254
        && !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"')
        && MailAddress.TryCreate(email, out var parsed)
        && parsed.Address == email
        && parsed.Host.Contains('.');

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
