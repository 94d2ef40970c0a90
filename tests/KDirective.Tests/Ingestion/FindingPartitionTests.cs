using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Ingestion;

/// <summary>A submission's findings span several partitions: retries, discards and reads must cover all of them.</summary>
[Collection(AzuriteCollection.Name)]
public partial class FindingPartitionTests(AzuriteFixture azurite)
{
    // 16 buckets of about 500 hosts: every bucket fills rows (about 245 findings of these) while the file is still read.
    private const int Hosts = 8000;

    [Fact]
    public void BucketOfAHost_DependsOnlyOnItsCaseFoldedName()
    {
        // Pinned values: a bucket that changed between processes or versions would strand stored findings.
        Assert.Equal(FindingEntity.BucketFor("ws-000001.agency.example.gov", "ignored"), FindingEntity.BucketFor("WS-000001.AGENCY.EXAMPLE.GOV", "other"));
        Assert.Equal([0x3, 0x3, 0x9], new[] { "HOST-0000", "HOST-0001", "HOST-0002" }.Select(h => FindingEntity.BucketFor(h, string.Empty)));
    }

    [Fact]
    public async Task FindingsOfOneSubmission_AreSpreadOverEveryBucketAndAllListed()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/many.csv", Uploads.Inventory(Hosts)));

        var rows = await RowsOf(services, agency.Id);
        Assert.Equal(Hosts, rows.Count);
        Assert.Equal(FindingEntity.Buckets, rows.Select(r => r.PartitionKey).Distinct().Count());
        Assert.All(rows, r => Assert.StartsWith($"{agency.Id}_{result.Submission.SubmissionId}_", r.PartitionKey, StringComparison.Ordinal));
        Assert.Equal(Hosts, (await services.GetRequiredService<FindingStore>().ListAsync(agency.Id, result.Submission.SubmissionId)).Count);
        Assert.Equal(Hosts, result.Submission.FindingRows);
    }

    [Fact]
    public async Task RetryAfterAFailedBatch_RewritesTheSameKeysAndLeavesNoStrayRows()
    {
        var fault = new FaultInjection(m => FaultInjection.IsBatchTo(m, StorageNames.FindingsTable), failOnMatch: 20) { Armed = false };
        var settings = new StorageClientSettings();
        settings.Policies.Add(fault);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = await Uploads.RegisterAsync(services);
        var blob = await Uploads.UploadAsync(services, $"{agency.Id}/retried.csv", Uploads.Inventory(Hosts));
        var ingestion = services.GetRequiredService<IngestionService>();

        fault.Armed = true;
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => ingestion.IngestAsync(blob));
        var afterFailure = await RowsOf(services, agency.Id);
        fault.Armed = false;
        var retry = await ingestion.IngestAsync(blob);

        Assert.Equal(1, fault.Failures);
        Assert.NotEmpty(afterFailure); // the first attempt did store batches before it failed
        var rows = await RowsOf(services, agency.Id);
        Assert.Equal(Hosts, rows.Count);
        Assert.Subset(rows.ToHashSet(), afterFailure.ToHashSet());
        Assert.Equal(Hosts, retry.Submission.FindingRows);
    }

    [Fact]
    public async Task RetryAfterAnAttemptThatPackedMoreRows_LeavesNoStrayRow()
    {
        // Say an attempt made before an upgrade packed the same findings into more rows than this version does.
        var fault = new FaultInjection(m => FaultInjection.IsBatchTo(m, StorageNames.FindingsTable), failOnMatch: 5) { Armed = false };
        var settings = new StorageClientSettings();
        settings.Policies.Add(fault);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = await Uploads.RegisterAsync(services);
        var blob = await Uploads.UploadAsync(services, $"{agency.Id}/upgraded.csv", Uploads.Inventory(Hosts));
        var ingestion = services.GetRequiredService<IngestionService>();
        fault.Armed = true;
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => ingestion.IngestAsync(blob));
        fault.Armed = false;
        var partition = (await RowsOf(services, agency.Id)).First().PartitionKey; // {agency}_{submissionId}_{bucket}
        var submissionId = partition[(agency.Id.Length + 1)..^2];
        var stray = new FindingRowEntity
        {
            PartitionKey = FindingEntity.PartitionFor(agency.Id, submissionId, 7),
            RowKey = FindingRowEntity.KeyFor(40),
            Agency = agency.Id,
            SubmissionId = submissionId,
            FindingsJson = """[{"k":"stray","h":"HOST-9999","p":"Kaspersky Anti-Virus","v":"1","e":1,"l":2}]""",
        };
        await services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.FindingsTable).UpsertEntityAsync(stray);

        var retry = await ingestion.IngestAsync(blob);

        Assert.Equal(Hosts, retry.Submission.FindingRows);
        Assert.DoesNotContain(await RowsOf(services, agency.Id), r => r.Key == "stray");
        Assert.Equal(Hosts, (await services.GetRequiredService<FindingStore>().ListAsync(agency.Id, submissionId)).Count);
    }

    [Fact]
    public async Task SameFindingOnDistantLines_IsStoredOnce()
    {
        // HOST-0001 and host-0002 again at the end, by then long past the packed rows their first lines went into.
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var text = Uploads.Inventory(Hosts) +
                   "host-0001,AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1.1.126\n" +
                   "HOST-0002,AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1.1.126\n";

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/repeated.csv", text));

        var stored = await RowsOf(services, agency.Id);
        Assert.Equal(Hosts, stored.Count);
        Assert.Equal(Hosts, stored.Select(f => f.Key).Distinct().Count());
        Assert.Equal(Hosts, result.Submission.FindingRows);
    }

    [Fact]
    public async Task FileRejectedAfterBatchesInEveryBucket_LeavesNoFindingInAnyPartition()
    {
        var recorder = new BatchRecorder();
        var settings = new StorageClientSettings();
        settings.Policies.Add(recorder);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = await Uploads.RegisterAsync(services);
        var blob = await Uploads.UploadAsync(services, $"{agency.Id}/binary-tail.csv", Uploads.InventoryWithBinaryTail(Hosts));

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob);

        Assert.Equal(SubmissionOutcomes.Rejected, result.Submission.Outcome);
        Assert.Equal(FindingEntity.Buckets, recorder.Partitions.Count); // findings had reached every partition
        Assert.Empty(await RowsOf(services, agency.Id));
        Assert.Empty(await services.GetRequiredService<FindingStore>().ListAsync(agency.Id, result.Submission.SubmissionId));
    }

    [Fact]
    public async Task ListForHost_ReadsOneHostsFindingsWhateverTheCaseOfItsName()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/hosts.csv",
            "Hostname,Publisher,Product,Version\n" +
            "HOST-0001,AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11\n" +
            "host-0001,Kaspersky Lab,Kaspersky Anti-Virus,15\n" +
            "HOST-0002,AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11\n"));

        var findings = await services.GetRequiredService<FindingStore>().ListForHostAsync(agency.Id, result.Submission.SubmissionId, "Host-0001");

        Assert.Equal(["Kaspersky Anti-Virus", "Kaspersky Endpoint Security for Windows"], findings.Select(f => f.Product).Order());
        Assert.Empty(await services.GetRequiredService<FindingStore>().ListForHostAsync(agency.Id, result.Submission.SubmissionId, "HOST-0003"));
    }

    [Fact]
    public async Task RowsWrittenBeforeBinaryRows_AreReadFromTheirStringProperty_NextToNewRows()
    {
        // Until 2026-12-06 a packed row held its JSON in the string property FindingsJson; a deployed app keeps those.
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/hosts.csv", Uploads.Inventory(2)));
        var submissionId = result.Submission.SubmissionId;
        var bucket = FindingEntity.BucketFor("OLD-HOST", string.Empty);
        var legacy = new TableEntity(FindingEntity.PartitionFor(agency.Id, submissionId, bucket), FindingRowEntity.KeyFor(99))
        {
            ["Agency"] = agency.Id,
            ["SubmissionId"] = submissionId,
            ["FindingsJson"] = """[{"k":"legacy","h":"OLD-HOST","p":"Kaspersky Anti-Virus","v":"15","e":1,"l":7}]""",
        };
        await services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.FindingsTable).UpsertEntityAsync(legacy);

        var store = services.GetRequiredService<FindingStore>();
        var all = await store.ListAsync(agency.Id, submissionId);

        Assert.Equal(["HOST-0000", "HOST-0001", "OLD-HOST"], all.Select(f => f.Hostname).Order(StringComparer.Ordinal));
        var old = Assert.Single(await store.ListForHostAsync(agency.Id, submissionId, "old-host"));
        Assert.Equal(("legacy", "Kaspersky Anti-Virus", "15", 7L), (old.Key, old.Product, old.Version, old.Line));
        Assert.All(await RowsOf(services, agency.Id), r => Assert.NotNull(r.Key));
    }

    /// <summary>Every finding of the agency, with its row, read straight from the table (not through the store under test).</summary>
    private static Task<List<(string PartitionKey, string RowKey, string Key)>> RowsOf(IServiceProvider services, string agency) =>
        StoredFindings.OfAsync(services, agency);

    /// <summary>Records the partitions that batch transactions wrote to.</summary>
    private sealed partial class BatchRecorder : HttpPipelinePolicy
    {
        public ConcurrentDictionary<string, bool> Partitions { get; } = new(StringComparer.Ordinal);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Record(HttpMessage message)
        {
            if (!FaultInjection.IsBatchTo(message, StorageNames.FindingsTable) || message.Request.Method != RequestMethod.Post)
            {
                return;
            }

            using var stream = new MemoryStream();
            message.Request.Content!.WriteTo(stream, CancellationToken.None);
            foreach (Match match in PartitionKey().Matches(Encoding.UTF8.GetString(stream.ToArray())))
            {
                Partitions.TryAdd(match.Groups[1].Value, true);
            }
        }

        [GeneratedRegex("\"PartitionKey\":\"([^\"]+)\"")]
        private static partial Regex PartitionKey();
    }
}
