using KDirective.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace KDirective.Tests.Boot;

/// <summary>
/// The Functions app's host, built as Program.cs builds it (FunctionsApplication.CreateBuilder, then
/// AppHost.Configure) with the given app settings as its configuration, the way the platform hands app settings to
/// the worker (environment variables, <c>__</c> for <c>:</c>). It is built, not started: nothing listens.
/// </summary>
internal static class BootedApp
{
    public static IHost Build(IReadOnlyDictionary<string, string> appSettings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(appSettings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)));

        // The Functions host starts the worker with its gRPC address; the worker's services need one to be built.
        // Nothing connects to it: the host is never started here.
        builder.Configuration["Functions:Worker:HostEndpoint"] = "http://127.0.0.1:9/";
        AppHost.Configure(builder);
        return builder.Build();
    }

    /// <summary>What the host does first when it starts: every options class registered with ValidateOnStart.</summary>
    public static void ValidateOnStart(IHost host) =>
        ((Microsoft.Extensions.Options.IStartupValidator)host.Services.GetService(typeof(Microsoft.Extensions.Options.IStartupValidator))!).Validate();
}
