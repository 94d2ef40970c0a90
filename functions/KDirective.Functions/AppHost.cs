using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KDirective.Functions;

/// <summary>
/// Everything Program.cs configures, in one method the boot test calls too: the library's services, the Key Vault
/// reference check (through AddKDirective), and storage set-up that never stops the worker from starting.
/// </summary>
public static class AppHost
{
    public static FunctionsApplicationBuilder Configure(FunctionsApplicationBuilder builder)
    {
        builder.Services.AddKDirective(builder.Configuration);
        builder.Services.AddHostedService<StorageWarmUp>();
        builder.UseMiddleware<StorageReady>();
        return builder;
    }
}
