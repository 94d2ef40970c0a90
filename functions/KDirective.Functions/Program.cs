using KDirective;
using KDirective.Dashboard.Access;
using KDirective.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddKDirective(builder.Configuration);
builder.ConfigureFunctionsWebApplication(); // the dashboard's HTTP trigger, with ASP.NET Core's HttpContext
builder.Services.AddDashboardEntraSignIn();

var app = builder.Build();
await app.Services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync();
await app.RunAsync();
