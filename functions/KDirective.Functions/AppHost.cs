using KDirective.Dashboard.Access;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KDirective.Functions;

/// <summary>
/// Everything Program.cs configures, in one method the boot test calls too: the library's services, the Key Vault
/// reference check (through AddKDirective), the dashboard's ASP.NET Core integration and Entra sign-in, and storage set-up that never stops the worker from starting.
/// </summary>
public static class AppHost
{
    public static FunctionsApplicationBuilder Configure(FunctionsApplicationBuilder builder)
    {
        builder.Services.AddKDirective(builder.Configuration);
        builder.ConfigureFunctionsWebApplication(); // the dashboard's HTTP trigger, with ASP.NET Core's HttpContext
        builder.Services.AddDashboardEntraSignIn();
        builder.Services.AddHostedService<StorageWarmUp>();
        builder.UseMiddleware<StorageReady>();
        return builder;
    }
}
