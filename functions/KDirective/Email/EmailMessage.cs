namespace KDirective.Email;

/// <summary>An email to send. <see cref="Key"/> identifies it (the reminder or receipt it delivers) in logs and file names.</summary>
public sealed record EmailMessage(
    string Key,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    string Text,
    string Html,
    IReadOnlyList<EmailAttachment> Attachments);

public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>The outcome of one send. Permanent failures (a 4xx other than 429) are not retried.</summary>
public sealed record SendResult(bool Sent, bool Permanent, string Detail, string? Location = null)
{
    public static SendResult Ok(string detail, string? location = null) => new(true, false, detail, location);

    public static SendResult Failed(string detail, bool permanent) => new(false, permanent, detail);
}

public interface IEmailSender
{
    /// <summary>Where emails go, for people: "SendGrid" or the outbox folder.</summary>
    string Destination { get; }

    Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}
