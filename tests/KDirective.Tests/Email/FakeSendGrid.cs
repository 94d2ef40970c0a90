using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace KDirective.Tests.Email;

/// <summary>
/// A loopback stand-in for SendGrid's v3 mail/send endpoint. Answers from a script (202, 429 with Retry-After, 500,
/// 400, …), then 202; records every request it received. Never reaches the real SendGrid.
/// </summary>
public sealed class FakeSendGrid : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _script = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeSendGrid()
    {
        var port = FreePort();
        Host = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Host + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Host { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The mails SendGrid accepted (answered 2xx), by subject.</summary>
    public IEnumerable<string> Accepted => Requests.Where(r => r.Status is >= 200 and < 300).Select(r => r.Subject);

    public void Script(params (int Status, string? RetryAfter)[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone, not Stop then Close: on Linux the managed listener's Close after a Stop looks its endpoint up
        // again and binds the port anew to remove it, which throws "Address already in use" once any other process has
        // taken that free port meanwhile (seen in CI). Close stops the listener and ends the pending GetContextAsync.
        _stop.Cancel();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var (status, retryAfter) = _script.TryDequeue(out var next) ? next : (202, null);
            using var json = JsonDocument.Parse(body);
            var subject = json.RootElement.TryGetProperty("subject", out var s) ? s.GetString() ?? string.Empty : string.Empty;
            Requests.Enqueue(new Received(context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], subject, body, status));
            context.Response.StatusCode = status;
            if (retryAfter is not null)
            {
                context.Response.AddHeader("Retry-After", retryAfter);
            }

            if (status is >= 200 and < 300)
            {
                context.Response.AddHeader("X-Message-Id", Guid.NewGuid().ToString("N"));
            }
            else
            {
                var error = """{"errors":[{"message":"scripted failure","field":null,"help":null}]}"""u8.ToArray();
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(error);
            }

            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed record Received(string Path, string? Authorization, string Subject, string Body, int Status)
    {
        /// <summary>When the request arrived, on the real clock: the sender's waits are physical (backoff tests measure them).</summary>
        public DateTimeOffset At { get; } = TimeProvider.System.GetUtcNow();
    }
}
