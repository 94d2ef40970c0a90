using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace KDirective.Email;

/// <summary>
/// Local runs without a SendGrid key: each email becomes an .eml file (RFC 5322, MIME) in the outbox folder, so
/// none is dropped silently and any mail client can open it. Written to a temporary name and renamed, so a
/// reader never sees half a file.
/// </summary>
public sealed class OutboxEmailSender(IOptions<EmailOptions> options, TimeProvider time) : IEmailSender
{
    private readonly EmailOptions _options = options.Value;

    public string Destination => Path.GetFullPath(_options.Outbox);

    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_options.Outbox);
        var name = $"{time.GetUtcNow():yyyyMMddTHHmmss}-{FileSafe(message.Key)}.eml";
        var path = Path.Combine(_options.Outbox, name);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, Render(message), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
        return SendResult.Ok("written to outbox", path);
    }

    internal string Render(EmailMessage message)
    {
        var boundary = "kd-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var alternative = boundary + "-alt";
        var text = new StringBuilder();
        Header(text, "From", $"{EncodeWord(_options.FromName)} <{_options.From}>");
        Header(text, "To", string.Join(", ", message.To));
        if (message.Cc.Count > 0)
        {
            Header(text, "Cc", string.Join(", ", message.Cc));
        }

        Header(text, "Subject", EncodeWord(message.Subject));
        Header(text, "Date", time.GetUtcNow().ToString("r", System.Globalization.CultureInfo.InvariantCulture));
        Header(text, "Message-ID", $"<{FileSafe(message.Key)}.{time.GetUtcNow().ToUnixTimeMilliseconds()}@kdirective.local>");
        Header(text, "MIME-Version", "1.0");
        Header(text, "Content-Type", $"multipart/mixed; boundary=\"{boundary}\"");
        text.Append("\r\n");
        text.Append($"--{boundary}\r\nContent-Type: multipart/alternative; boundary=\"{alternative}\"\r\n\r\n");
        Part(text, alternative, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(message.Text), null);
        Part(text, alternative, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(message.Html), null);
        text.Append($"--{alternative}--\r\n");
        foreach (var attachment in message.Attachments)
        {
            Part(text, boundary, attachment.ContentType, attachment.Content, attachment.FileName);
        }

        text.Append($"--{boundary}--\r\n");
        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string value) =>
        text.Append(name).Append(": ").Append(value.ReplaceLineEndings(" ")).Append("\r\n");

    private static void Part(StringBuilder text, string boundary, string contentType, byte[] content, string? fileName)
    {
        text.Append($"--{boundary}\r\nContent-Type: {contentType}\r\nContent-Transfer-Encoding: base64\r\n");
        if (fileName is not null)
        {
            text.Append($"Content-Disposition: attachment; filename=\"{fileName}\"\r\n");
        }

        text.Append("\r\n").Append(Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks).ReplaceLineEndings("\r\n")).Append("\r\n");
    }

    /// <summary>RFC 2047 for non-ASCII header text; also keeps any line break out of a header.</summary>
    private static string EncodeWord(string value)
    {
        var oneLine = value.ReplaceLineEndings(" ");
        return Ascii.IsValid(oneLine) ? oneLine : $"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(oneLine))}?=";
    }

    private static string FileSafe(string key) => new(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}
