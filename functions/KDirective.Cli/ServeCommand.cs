using System.Globalization;
using KDirective.Dashboard;
using KDirective.Dashboard.Web;
using KDirective.Directive;
using KDirective.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KDirective.Cli;

/// <summary>
/// <c>kdirective serve [--port N] [--storage CONN] [--as-of DATE]</c>: the dashboard and its API on 127.0.0.1 only,
/// without sign-in (whoever reaches loopback already holds the storage credentials), until Ctrl-C.
/// </summary>
internal static class ServeCommand
{
    public const int DefaultPort = 5117;

    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string>(), new HashSet<string> { "--storage", "--port", "--as-of" });
        if (parsed.Positionals.Count != 0)
        {
            throw new UsageException("serve [--port N] [--storage CONN] [--as-of YYYY-MM-DD]");
        }

        var port = parsed.Get("--port") is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535 ? p : throw new UsageException($"--port '{text}' is not a port number")
            : DefaultPort;
        var configuration = CliServices.Configuration(parsed.Get("--storage"));
        var calendar = new DirectiveCalendar(Options.Create(configuration.GetSection(DirectiveOptions.Section).Get<DirectiveOptions>() ?? new DirectiveOptions()));
        var asOf = AsOf.Parse(parsed.Get("--as-of"), calendar);

        await using var app = DashboardServer.Build(port, services =>
        {
            services.AddKDirective(configuration);
            services.AddDashboard(asOf);
            services.AddSingleton<IDashboardAuthenticator, LocalOperatorAuthenticator>();
        }, configuration);
        await app.Services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        await output.WriteLineAsync($"dashboard: {DashboardServer.Url(app)}/  (127.0.0.1 only, no sign-in; Ctrl-C to stop)");
        await output.FlushAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
