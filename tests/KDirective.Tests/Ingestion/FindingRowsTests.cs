using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using KDirective.Ingestion;
using KDirective.Inventory;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Ingestion;

/// <summary>
/// How findings are packed into rows and sent: full rows only, never an empty one, a row up to the property limit
/// and not one byte past it, no more writes in flight than the limit, and a failed write that a rejection
/// makes moot does not stop the rejection being recorded.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class FindingRowsTests(AzuriteFixture azurite)
{
    private const string Product = "Kaspersky Endpoint Security for Windows";

    /// <summary>Every row of one submission, by partition, in row-key order, as the number of findings and the JSON's bytes.</summary>
    private static async Task<Dictionary<string, List<(int Count, int Length)>>> RowsAsync(IServiceProvider services, string agency, string submissionId)
    {
        var table = services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.FindingsTable);
        var rows = new Dictionary<string, List<(int, int)>>();
        for (var bucket = 0; bucket < FindingEntity.Buckets; bucket++)
        {
            var partition = FindingEntity.PartitionFor(agency, submissionId, bucket);
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
            {
                var json = row.GetBinary("Findings");
                using var doc = JsonDocument.Parse(json);
                (rows.TryGetValue(partition, out var list) ? list : rows[partition] = []).Add((doc.RootElement.GetArrayLength(), json.Length));
            }
        }

        return rows;
    }

    [Fact]
    public async Task Findings_FillEachRowToThePropertyLimit_AndWriteNoEmptyRow()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(14_000)));

        var rows = await RowsAsync(services, agency, result.Submission.SubmissionId);
        Assert.Equal(FindingEntity.Buckets, rows.Count); // 14,000 hosts reach every bucket, about 875 each: two rows or more
        Assert.Equal(14_000, rows.Values.Sum(r => r.Sum(x => x.Count)));
        var longest = await LongestFindingAsync(services, agency, result.Submission.SubmissionId);
        foreach (var (partition, list) in rows)
        {
            // Rows are sent as they fill: every one but the last of its bucket had no room left for one more finding
            // (so at most the longest finding's bytes to spare under the rule's MaxBytes - 1), and holds well over three hundred.
            Assert.True(list.Count >= 2, $"{partition}: {list.Count} rows");
            Assert.All(list.SkipLast(1), r => Assert.True(r.Length >= TableJson.MaxBytes - 1 - longest, $"{partition}: a row of {r.Length} bytes was sent with room for more"));
            Assert.All(list.SkipLast(1), r => Assert.InRange(r.Count, 301, int.MaxValue));
            Assert.InRange(list[^1].Count, 1, list[0].Count);
        }
    }

    /// <summary>The most bytes one finding of a submission takes in its row's JSON.</summary>
    private static async Task<int> LongestFindingAsync(IServiceProvider services, string agency, string submissionId)
    {
        var table = services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.FindingsTable);
        var longest = 0;
        for (var bucket = 0; bucket < FindingEntity.Buckets; bucket++)
        {
            var partition = FindingEntity.PartitionFor(agency, submissionId, bucket);
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
            {
                using var doc = JsonDocument.Parse(row.GetBinary("Findings"));
                longest = Math.Max(longest, doc.RootElement.EnumerateArray().Max(f => System.Text.Encoding.UTF8.GetByteCount(f.GetRawText())));
            }
        }

        return longest;
    }

    [Fact]
    public async Task SmallFile_WritesOneRowPerBucketItReaches_AndNoneForTheOthers()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(3)));

        var rows = await RowsAsync(services, agency, result.Submission.SubmissionId);
        var buckets = Enumerable.Range(0, 3).Select(i => FindingEntity.BucketFor($"HOST-{i:D4}", string.Empty)).Distinct().Count();
        Assert.Equal(buckets, rows.Count); // 3 hosts reach at most 3 of the 16 partitions
        Assert.All(rows.Values, list => Assert.All(list, r => Assert.InRange(r.Count, 1, 3)));
        Assert.Equal(3, rows.Values.Sum(list => list.Sum(r => r.Count)));
    }

    [Fact]
    public async Task Findings_AreWrittenWithExactlyTheConcurrencyLimitInFlight()
    {
        var gauge = new InFlightGauge(m => FaultInjection.IsBatchTo(m, StorageNames.FindingsTable));
        var settings = new StorageClientSettings();
        settings.Policies.Add(gauge);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = (await Uploads.RegisterAsync(services)).Id;

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(24_000)));

        Assert.Equal(24_000, result.Submission.FindingRows);
        Assert.True(gauge.Requests >= 60, $"{gauge.Requests} row writes");
        Assert.Equal(FindingStore.MaxConcurrency, gauge.Max);
    }

    [Fact]
    public async Task SlowStorage_LetsTheReaderQueueRowsPastTheWritesInFlight_UpToTheLimit_ThenHoldsIt()
    {
        // Every row write is held at the door: the writer may start only as many as its concurrency allows, may queue
        // more so the file goes on being read, and must stop taking findings once the queue is at its limit.
        var gate = new HeldWrites(m => FaultInjection.IsBatchTo(m, StorageNames.FindingsTable));
        var settings = new StorageClientSettings();
        settings.Policies.Add(gate);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = Pipeline.NewAgencyId();
        var writer = new FindingWriter(services.GetRequiredService<FindingStore>(), agency, "held");
        const int Findings = 40_000; // about 110 full rows, well past the queue's limit
        var added = 0;
        var feeding = Task.Run(async () =>
        {
            for (var i = 0; i < Findings; i++)
            {
                await writer.AddAsync(HeldMatch(i), CancellationToken.None);
                Volatile.Write(ref added, i + 1);
            }
        });

        // Wait until the feeding stops moving: it is then held by the limit (or, wrongly, done).
        var last = -1;
        for (var waited = 0; waited < 30_000 && (Volatile.Read(ref added) != last || gate.Arrived < FindingStore.MaxConcurrency); waited += 250)
        {
            last = Volatile.Read(ref added);
            await Task.Delay(250);
        }

        var perRow = FindingsPerRow(agency, "held");
        Assert.False(feeding.IsCompleted, "the writer took every finding while no write could finish");
        Assert.Equal(FindingStore.MaxConcurrency, gate.Arrived); // no more writes in flight than the limit...
        Assert.Equal(FindingWriter.MaxPendingRows * perRow, writer.Count); // ...the rest queued, up to the limit and no further
        Assert.InRange(Volatile.Read(ref added), (FindingWriter.MaxPendingRows * perRow) + 1, (FindingWriter.MaxPendingRows + FindingEntity.Buckets) * perRow);

        gate.Open();
        await feeding.WaitAsync(TimeSpan.FromMinutes(1));
        await writer.CompleteAsync(CancellationToken.None);
        Assert.Equal(Findings, writer.Count);
        Assert.Equal(Findings, (await services.GetRequiredService<FindingStore>().ListAsync(agency, "held")).Count);
    }

    [Fact]
    public async Task FailedRowWrite_StopsTheReadAtTheNextRow_InsteadOfAtTheEndOfTheFile()
    {
        var fault = new FaultInjection(m => FaultInjection.IsBatchTo(m, StorageNames.FindingsTable), failOnMatch: 1);
        var settings = new StorageClientSettings();
        settings.Policies.Add(fault);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = Pipeline.NewAgencyId();
        var writer = new FindingWriter(services.GetRequiredService<FindingStore>(), agency, "failed");
        const int Findings = 40_000;
        var added = 0;
        var addedWhenItFailed = -1;

        var thrown = await Assert.ThrowsAsync<Azure.RequestFailedException>(async () =>
        {
            for (; added < Findings; added++)
            {
                await writer.AddAsync(HeldMatch(added), CancellationToken.None);
                if (writer.Count > 0 && addedWhenItFailed < 0)
                {
                    // The first row was sent and fails: let its answer come back (in a cold process the SDK builds
                    // its first request slowly), then read on as the reader would.
                    for (var waited = 0; fault.Failures == 0 && waited < 30_000; waited += 10)
                    {
                        await Task.Delay(10);
                    }

                    await Task.Delay(100);
                    addedWhenItFailed = added;
                }
            }

            await writer.CompleteAsync(CancellationToken.None);
        });

        Assert.Equal(1, fault.Failures);
        Assert.Equal(503, thrown.Status); // the injected failure itself, not a write it cancelled

        // It surfaced at the next row sent (one of the 16 partitions filling), not when the whole file had been read.
        var perRow = FindingsPerRow(agency, "failed");
        Assert.InRange(added - addedWhenItFailed, 1, FindingEntity.Buckets * perRow);
    }

    [Fact]
    public async Task FailedRowWrite_DoesNotCancelTheWritesAlreadySent_SoADiscardAfterItLeavesNothing()
    {
        // A request the client cancels may still reach storage after the discard's delete. So a failure stops the rows
        // still queued (none is sent after it), and lets the ones already sent finish: none sees its token fire.
        var policy = new FailFirstHoldTheRest(m => FaultInjection.IsUpsertBatchTo(m, StorageNames.FindingsTable));
        var settings = new StorageClientSettings();
        settings.Policies.Add(policy);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = Pipeline.NewAgencyId();
        var store = services.GetRequiredService<FindingStore>();
        var writer = new FindingWriter(store, agency, "discarded");

        try
        {
            for (var i = 0; i < 40_000; i++)
            {
                await writer.AddAsync(HeldMatch(i), CancellationToken.None);
            }
        }
        catch (Azure.RequestFailedException)
        {
            // The injected failure, surfacing at a later row: the read stops, and the file is then rejected.
        }

        await writer.DiscardAsync(CancellationToken.None); // waits for the writes sent, then deletes

        Assert.True(policy.Held > 0, "no write was in flight when the first one failed");
        Assert.Equal(0, policy.CancelledWhileHeld);
        // The rows still queued were not sent. A row that took its slot before the writer heard of the failure may
        // still arrive after it (a busy machine makes that window wide), but no more than the slots: the queue was
        // four times that.
        Assert.InRange(policy.SentAfterTheFailure, 0, FindingStore.MaxConcurrency - 1);
        Assert.Empty(await store.ListAsync(agency, "discarded"));
    }

    /// <summary>The held tests' i-th finding: a host of its own, on its own line, five digits each.</summary>
    private static InventoryMatch HeldMatch(int i) => new(10_000 + i, $"HOST-{i:D5}", "AO Kaspersky Lab", Product, "11.1", Product, 1);

    /// <summary>How many of the held test's findings fill a row (five-digit hosts and lines: their JSON is the same length).</summary>
    private static int FindingsPerRow(string agency, string submissionId)
    {
        var each = JsonLength(agency, submissionId, HeldMatch(0));
        return (TableJson.MaxBytes - 2) / (each + 1); // the writer's rule: brackets, then each finding and a separator
    }

    [Fact]
    public async Task Row_TakesFindingsUpToThePropertyLimit_AndNotOneByteMore()
    {
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<FindingStore>();
        var agency = Pipeline.NewAgencyId();

        // Hosts of bucket 0 with long names (about 350 bytes of JSON each, so about 165 to a row). The last name is
        // sized so the row's length rule is met exactly (fits), then one byte longer (does not fit).
        var filler = new List<InventoryMatch>();
        var length = 2; // the writer's running length: the brackets, then each finding and a separator
        for (var i = 0; ; i++)
        {
            var match = Bucket0Match($"F{i:D5}-", 200, i);
            var added = JsonLength(agency, "exact", match) + 1;
            if (TableJson.MaxBytes - (length + added + 1) < 300)
            {
                break; // leaves room for a last finding of 300 to 650 characters
            }

            filler.Add(match);
            length += added;
        }

        Assert.InRange(filler.Count, 2, 200);

        var room = TableJson.MaxBytes - (length + 1);
        foreach (var (id, extra, rows) in new[] { ("exact", 0, 1), ("over", 1, 2) })
        {
            var writer = new FindingWriter(store, agency, id);
            foreach (var match in filler)
            {
                await writer.AddAsync(match, CancellationToken.None);
            }

            var last = SizedMatch(agency, id, room + extra);
            Assert.Equal(room + extra, JsonLength(agency, id, last));
            await writer.AddAsync(last, CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);

            var stored = (await RowsAsync(services, agency, id))[FindingEntity.PartitionFor(agency, id, 0)];
            Assert.Equal(rows, stored.Count);
            Assert.Equal(filler.Count + 1, stored.Sum(r => r.Count));
            Assert.All(stored, r => Assert.InRange(r.Length, 1, TableJson.MaxBytes));
            if (rows == 1)
            {
                Assert.Equal(TableJson.MaxBytes - 1, stored[0].Length); // the fullest row the rule allows
            }
        }
    }

    [Fact]
    public async Task RejectedFile_WhoseEarlierFindingsWriteFailed_IsStillRecordedAsRejected()
    {
        // 8,000 hosts (about 500 a partition) fill one row in each of the 16 partitions while the file is read; the last of those writes fails,
        // so nothing surfaces the failure before the NUL bytes at the end reject the file.
        var fault = new FaultInjection(m => FaultInjection.IsBatchTo(m, StorageNames.FindingsTable), failOnMatch: FindingEntity.Buckets);
        var settings = new StorageClientSettings();
        settings.Policies.Add(fault);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var blob = await Uploads.UploadAsync(services, $"{agency}/binary-tail.csv", Uploads.InventoryWithBinaryTail(8000));

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob);

        Assert.Equal(1, fault.Failures); // a row write failed while the file was read...
        Assert.Equal((SubmissionOutcomes.Rejected, SubmissionEntity.Complete), (result.Submission.Outcome, result.Submission.State)); // ...and the rejection still stands
        Assert.Contains("NUL bytes", result.Submission.Error);
        Assert.Empty(await services.GetRequiredService<FindingStore>().ListAsync(agency, result.Submission.SubmissionId));
    }

    private static InventoryMatch Bucket0Match(string prefix, int nameLength, int line)
    {
        for (var j = 0; ; j++)
        {
            var hostname = $"{prefix}{j}-".PadRight(nameLength, 'x');
            if (FindingEntity.BucketFor(hostname, string.Empty) == 0)
            {
                return new InventoryMatch(1000 + line, hostname, "AO Kaspersky Lab", Product, "11.1", Product, 1);
            }
        }
    }

    /// <summary>A bucket-0 match whose stored JSON is exactly <paramref name="jsonLength"/> bytes.</summary>
    private static InventoryMatch SizedMatch(string agency, string submissionId, int jsonLength)
    {
        var probe = Bucket0Match("LAST-", 100, 9000);
        var nameLength = 100 + jsonLength - JsonLength(agency, submissionId, probe);
        Assert.InRange(nameLength, 20, 512);
        return Bucket0Match("LAST-", nameLength, 9000);
    }

    private static int JsonLength(string agency, string submissionId, InventoryMatch match) =>
        System.Text.Encoding.UTF8.GetByteCount(FindingStore.Serialize(FindingWriter.Finding(agency, submissionId, FindingWriter.KeyOf(match), match)));

    /// <summary>
    /// Fails the first matching request after 100 ms; holds each later one for 300 ms as if on the wire, noting whether
    /// its call was cancelled meanwhile.
    /// </summary>
    private sealed class FailFirstHoldTheRest(Func<HttpMessage, bool> matches) : HttpPipelinePolicy
    {
        private int _seen;
        private int _held;
        private int _cancelled;
        private int _failed;
        private int _sentAfter;

        public int Held => Volatile.Read(ref _held);

        public int SentAfterTheFailure => Volatile.Read(ref _sentAfter);

        public int CancelledWhileHeld => Volatile.Read(ref _cancelled);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (matches(message))
            {
                if (Interlocked.Increment(ref _seen) == 1)
                {
                    await Task.Delay(100, CancellationToken.None).ConfigureAwait(false); // the next rows are sent meanwhile
                    Volatile.Write(ref _failed, 1);
                    throw new Azure.RequestFailedException(503, "injected storage failure");
                }

                if (Volatile.Read(ref _failed) == 1)
                {
                    Interlocked.Increment(ref _sentAfter);
                }

                Interlocked.Increment(ref _held);
                await Task.Delay(300, CancellationToken.None).ConfigureAwait(false);
                if (message.CancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _cancelled);
                }
            }

            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
    }

    /// <summary>Holds every matching request until <see cref="Open"/>, counting those that arrived.</summary>
    private sealed class HeldWrites(Func<HttpMessage, bool> matches) : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public int Arrived => Volatile.Read(ref _arrived);

        public void Open() => _open.TrySetResult();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (matches(message) && !_open.Task.IsCompleted)
            {
                Interlocked.Increment(ref _arrived);
                await _open.Task.ConfigureAwait(false);
            }

            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
    }

    /// <summary>Counts matching requests in flight (each held a little, so writes that may overlap do) and keeps the most seen.</summary>
    private sealed class InFlightGauge(Func<HttpMessage, bool> matches) : HttpPipelinePolicy
    {
        private int _now;
        private int _max;
        private int _requests;

        public int Max => _max;

        public int Requests => _requests;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (!matches(message))
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                return;
            }

            Interlocked.Increment(ref _requests);
            var now = Interlocked.Increment(ref _now);
            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            try
            {
                await Task.Delay(40).ConfigureAwait(false);
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _now);
            }
        }
    }
}
