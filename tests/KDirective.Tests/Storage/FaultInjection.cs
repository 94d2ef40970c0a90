using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace KDirective.Tests.Storage;

/// <summary>
/// Fails chosen requests to the real emulator, the way a storage outage would: the Nth request that matches
/// throws. Placed per call, outside the SDK's retries, so the failure reaches the caller.
/// </summary>
internal sealed class FaultInjection(Func<HttpMessage, bool> matches, int failOnMatch) : HttpPipelinePolicy
{
    private int _seen;

    public bool Armed { get; set; } = true;

    public int Failures { get; private set; }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        return ProcessNextAsync(message, pipeline);
    }

    public static bool IsBatchTo(HttpMessage message, string table) =>
        message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal)
        && message.Request.Content is { } content && ContentOf(content).Contains($"/{table}(", StringComparison.Ordinal);

    /// <summary>A batch that writes (upserts) rows of the table, not one that deletes them.</summary>
    public static bool IsUpsertBatchTo(HttpMessage message, string table) =>
        IsBatchTo(message, table) && ContentOf(message.Request.Content!).Contains("\nPUT ", StringComparison.Ordinal);

    private static string ContentOf(RequestContent content)
    {
        using var stream = new MemoryStream();
        content.WriteTo(stream, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private void Check(HttpMessage message)
    {
        if (Armed && matches(message) && Interlocked.Increment(ref _seen) == failOnMatch)
        {
            Failures++;
            throw new RequestFailedException(503, "injected storage failure");
        }
    }
}
