using KDirective.Digest;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace KDirective.Functions;

/// <summary>The weekly operator digest. The schedule is configuration; it never runs on start-up; each week sends once.</summary>
public sealed class DigestTimer(DigestService digest, ILogger<DigestTimer> logger)
{
    [Function(nameof(DigestTimer))]
    public async Task Run([TimerTrigger("%Digest:Schedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var result = await digest.RunAsync(cancellationToken: cancellationToken);
        logger.Digest(result.Digest?.Week, result.Claim.ToString(), result.Detail);
    }
}
