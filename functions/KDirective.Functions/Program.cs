using KDirective;
using KDirective.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddKDirective(builder.Configuration);

var app = builder.Build();
await app.Services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync();
await app.RunAsync();
