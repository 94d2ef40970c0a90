using System.ComponentModel.DataAnnotations;

namespace KDirective.Email;

/// <summary>Sender and local outbox. Without <c>SendGrid:ApiKey</c>, every email is written as .eml to the outbox.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    [Required]
    [EmailAddress]
    public string From { get; set; } = "bod-notifications@example.gov";

    [StringLength(100)]
    public string FromName { get; set; } = "Directive Notifications";

    /// <summary>The operators' address for the weekly digest; empty sends no digest.</summary>
    [EmailAddress]
    public string? OperatorTo { get; set; }

    /// <summary>Folder for .eml files when no SendGrid key is configured.</summary>
    [Required]
    public string Outbox { get; set; } = "outbox";
}

/// <summary>SendGrid settings. The key comes from Key Vault in Azure (an app setting reference), never from a file.</summary>
public sealed class SendGridOptions
{
    public const string Section = "SendGrid";

    public string? ApiKey { get; set; }

    /// <summary>True in Azure (the Bicep sets it): start-up fails without a key instead of writing emails to a local disk.</summary>
    public bool Required { get; set; }

    /// <summary>Attempts per email for 429 and 5xx answers, the first included.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First backoff; doubles each retry. A Retry-After header wins when it says longer.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Never wait longer than this between attempts, whatever Retry-After says.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Not configuration: tests point the client at a loopback fake of SendGrid's API.</summary>
    internal string? Host { get; set; }
}
