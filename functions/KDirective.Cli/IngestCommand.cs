using Azure.Storage.Blobs.Models;
using KDirective.Agencies;
using KDirective.Ingestion;
using KDirective.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli;

/// <summary>
/// <c>kdirective ingest --agency &lt;id&gt; [--plan] &lt;file&gt;</c>: uploads the file where an agency would and runs the
/// blob trigger's service on it, so the whole pipeline runs without the Functions host. <c>--received-at</c> records
/// a simulated receipt time (for replaying a directive's history locally).
/// </summary>
internal static class IngestCommand
{
    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string> { "--plan", "--json" }, new HashSet<string> { "--agency", "--storage", "--received-at" });
        if (parsed.Positionals is not [var file] || parsed.Get("--agency") is not { } agency)
        {
            throw new UsageException("ingest --agency <id> [--plan] [--received-at YYYY-MM-DD] <file>");
        }

        DateTimeOffset? receivedAt = parsed.Get("--received-at") is { } text
            ? DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsedAt)
                ? parsedAt
                : throw new UsageException($"--received-at '{text}' is not a date (YYYY-MM-DD or an ISO 8601 time)")
            : null;

        if (!Agency.IsValidId(agency))
        {
            throw new UsageException($"'{agency}' is not an agency id (2-32 lowercase letters, digits and hyphens)");
        }

        if (!File.Exists(file))
        {
            throw new IOException($"{file}: no such file");
        }

        await using var services = await CliServices.CreateAsync(parsed.Get("--storage"), cancellationToken);
        var container = parsed.Has("--plan") ? StorageNames.PlansContainer : StorageNames.InventoriesContainer;
        var blob = await UploadAsync(services.GetRequiredService<StorageConnection>(), container, agency, file, cancellationToken);
        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob, receivedAt, cancellationToken);
        var s = result.Submission;
        await output.WriteLineAsync($"{container}/{blob.Name}: {s.Outcome}{(s.Error is null ? string.Empty : $" ({s.Error})")}; " +
                                    $"{s.RowsRead} rows, {s.RowsRejected} rejected, {s.EndpointsAffected?.ToString() ?? "n/a"} endpoints affected; " +
                                    (s.PossibleFindingCount > 0 ? $"{s.PossibleFindingCount} line(s) look like banned products but were not counted; " : string.Empty) +
                                    $"submission {s.SubmissionId}; result in results/{result.ResultBlobName}");
        return s.IsAccepted ? 0 : InspectCommand.Rejected;
    }

    /// <summary>Uploads <paramref name="file"/> where <paramref name="agency"/> would, as <c>{container}/{agency}/{name}</c>.</summary>
    public static async Task<Azure.Storage.Blobs.BlobClient> UploadAsync(StorageConnection storage, string container, string agency, string file, CancellationToken cancellationToken)
    {
        var blob = storage.Blobs.GetBlobContainerClient(container).GetBlobClient($"{agency}/{Path.GetFileName(file)}");
        await using var stream = File.OpenRead(file);

        // Bounded buffers: the upload stands in for the agency's, and should not dominate this process's memory.
        var transfer = new Azure.Storage.StorageTransferOptions { MaximumConcurrency = 2, MaximumTransferSize = 4 * 1024 * 1024, InitialTransferSize = 4 * 1024 * 1024 };
        await blob.UploadAsync(stream, new BlobUploadOptions { TransferOptions = transfer }, cancellationToken);
        return blob;
    }
}
