using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KDirective.Dashboard.Web;

/// <summary>
/// The dashboard on Kestrel, bound to 127.0.0.1 only: <c>kdirective serve</c> and the browser tests. The Functions
/// app serves the same <see cref="DashboardEndpoints"/> through its HTTP trigger instead.
/// </summary>
public static class DashboardServer
{
    public static WebApplication Build(int port, Action<IServiceCollection> configure, IConfiguration? configuration = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
        }

        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRoutingCore();
        configure(builder.Services);
        var app = builder.Build();
        var endpoints = app.Services.GetRequiredService<DashboardEndpoints>();
        app.Run(endpoints.HandleAsync);
        return app;
    }

    /// <summary>The URL the server listens on, once started (the real port when 0 was asked for).</summary>
    public static string Url(WebApplication app) =>
        app.Urls.FirstOrDefault()?.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') ?? throw new InvalidOperationException("not started");
}
