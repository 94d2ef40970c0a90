using KDirective.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
AppHost.Configure(builder);
await builder.Build().RunAsync();
