using KDirective.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace KDirective.Functions;

/// <summary>Before each invocation, makes sure storage was set up once; a failure fails that invocation, which is retried.</summary>
internal sealed class StorageReady(StorageInitializer storage) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        await storage.EnsureReadyAsync(context.CancellationToken);
        await next(context);
    }
}
