using Azure.Core;
using Azure.Core.Pipeline;

namespace KDirective.Tests.Storage;

/// <summary>
/// Makes a race happen on purpose: just before the first request that matches is sent (say, the conditional write
/// of a read-modify-write), another writer's change is made through a separate client. The request then meets the
/// state a real concurrent writer would leave, every run, whatever the thread pool does. Records the status of
/// every matching response, so a test can show the conflict really happened.
/// </summary>
internal sealed class CompetingWrite(Func<HttpMessage, bool> matches, Func<Task> write) : HttpPipelinePolicy
{
    private int _fired;

    public List<int> Responses { get; } = [];

    public bool Fired => _fired > 0;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var matched = matches(message);
        if (matched && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            await write().ConfigureAwait(false);
        }

        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        if (matched)
        {
            lock (Responses)
            {
                Responses.Add(message.Response.Status);
            }
        }
    }

    /// <summary>Any write (insert, update, merge, delete) to one table; reads and queries do not match.</summary>
    public static bool IsWriteTo(HttpMessage message, string table) =>
        message.Request.Method != RequestMethod.Get
        && (message.Request.Uri.Path.EndsWith("/" + table, StringComparison.Ordinal) || message.Request.Uri.Path.Contains("/" + table + "(", StringComparison.Ordinal));
}
