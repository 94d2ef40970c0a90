using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace KDirective.Email;

/// <summary>
/// Sends through SendGrid's v3 API. SendGrid's client ignores its own reliability settings when it is given an
/// HttpClient, so retries are ours: 429 and 5xx are retried with exponential backoff that honours Retry-After, a
/// bounded number of times; any other 4xx is a permanent failure.
/// </summary>
public sealed class SendGridEmailSender : IEmailSender
{
    private readonly SendGridClient _client;
    private readonly SendGridOptions _options;
    private readonly EmailOptions _email;
    // Waits for SendGrid are physical: its rate limit is in real seconds, whatever clock the business rules run on
    // (a simulated --as-of date, or a fake clock in tests). So backoff always uses the system clock.
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly ILogger<SendGridEmailSender> _logger;

    public SendGridEmailSender(HttpClient http, IOptions<SendGridOptions> options, IOptions<EmailOptions> email, ILogger<SendGridEmailSender> logger)
    {
        _options = options.Value;
        _email = email.Value;
        _logger = logger;
        var clientOptions = new SendGridClientOptions { ApiKey = _options.ApiKey };
        if (_options.Host is not null)
        {
            clientOptions.Host = _options.Host;
        }

        _client = new SendGridClient(http, clientOptions);
    }

    public string Destination => "SendGrid";

    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var mail = Build(message);
        for (var attempt = 1; ; attempt++)
        {
            Response response;
            try
            {
                response = await _client.SendEmailAsync(mail, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt < _options.MaxAttempts)
            {
                _logger.Retrying(message.Key, attempt, 0, e.Message);
                await Task.Delay(Backoff(attempt, null), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException e)
            {
                return SendResult.Failed($"SendGrid unreachable: {e.Message}", permanent: false);
            }

            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                var id = response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
                return SendResult.Ok($"SendGrid {status}", id);
            }

            var body = await response.Body.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var transient = response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500;
            if (!transient)
            {
                _logger.PermanentFailure(message.Key, status, Storage.LogSafe.Of(body, 500));
                return SendResult.Failed($"SendGrid {status}: {Storage.LogSafe.Of(body, 300)}", permanent: true);
            }

            if (attempt >= _options.MaxAttempts)
            {
                return SendResult.Failed($"SendGrid {status} after {attempt} attempts", permanent: false);
            }

            var delay = Backoff(attempt, RetryAfter(response));
            _logger.Retrying(message.Key, attempt, status, $"waiting {delay.TotalSeconds:0.###} s");
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var exponential = _options.BaseDelay * Math.Pow(2, attempt - 1);
        var wait = retryAfter is { } ra && ra > exponential ? ra : exponential;
        return wait > _options.MaxDelay ? _options.MaxDelay : wait;
    }

    private TimeSpan? RetryAfter(Response response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - _time.GetUtcNow() : null;
    }

    private SendGridMessage Build(EmailMessage message)
    {
        var mail = new SendGridMessage
        {
            From = new EmailAddress(_email.From, _email.FromName),
            Subject = message.Subject,
            PlainTextContent = message.Text,
            HtmlContent = message.Html,
        };
        mail.AddTos(message.To.Select(t => new EmailAddress(t)).ToList());
        if (message.Cc.Count > 0)
        {
            mail.AddCcs(message.Cc.Select(c => new EmailAddress(c)).ToList());
        }

        foreach (var a in message.Attachments)
        {
            mail.AddAttachment(a.FileName, Convert.ToBase64String(a.Content), a.ContentType);
        }

        mail.AddCustomArg("kdirective-key", message.Key);
        return mail;
    }
}
