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
/// and not one character past it, no more writes in flight than the limit, and a failed write that a rejection
/// makes moot does not stop the rejection being recorded.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class FindingRowsTests(AzuriteFixture azurite)
{
    private const string Product = "Kaspersky Endpoint Security for Windows";

    /// <summary>Every row of one submission, by partition, in row-key order, as the number of findings and the JSON length.</summary>
    private static async Task<Dictionary<string, List<(int Count, int Length)>>> RowsAsync(IServiceProvider services, string agency, string submissionId)
    {
        var table = services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.FindingsTable);
        var rows = new Dictionary<string, List<(int, int)>>();
        for (var bucket = 0; bucket < FindingEntity.Buckets; bucket++)
        {
            var partition = FindingEntity.PartitionFor(agency, submissionId, bucket);
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
            {
                var json = row.GetString("FindingsJson");
                using var doc = JsonDocument.Parse(json);
                (rows.TryGetValue(partition, out var list) ? list : rows[partition] = []).Add((doc.RootElement.GetArrayLength(), json.Length));
            }
        }

        return rows;
    }

    [Fact]
    public async Task Findings_FillEachRowToTheBatchSize_AndWriteNoEmptyRow()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(4000)));

        var rows = await RowsAsync(services, agency, result.Submission.SubmissionId);
        Assert.Equal(FindingEntity.Buckets, rows.Count); // 4,000 hosts reach every bucket
        Assert.Equal(4000, rows.Values.Sum(r => r.Sum(x => x.Count)));
        foreach (var (partition, list) in rows)
        {
            // Rows are sent as they fill: every one but the last of its bucket holds exactly a batch.
            Assert.All(list.SkipLast(1), r => Assert.Equal(FindingStore.BatchSize, r.Count));
            Assert.InRange(list[^1].Count, 1, FindingStore.BatchSize);
        }
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

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(6000)));

        Assert.Equal(6000, result.Submission.FindingRows);
        Assert.True(gauge.Requests >= 60, $"{gauge.Requests} row writes");
        Assert.Equal(FindingStore.MaxConcurrency, gauge.Max);
    }

    [Fact]
    public async Task Row_TakesFindingsUpToThePropertyLimit_AndNotOneCharacterMore()
    {
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<FindingStore>();
        var agency = Pipeline.NewAgencyId();

        // Hosts of bucket 0 with long names (about 350 characters of JSON each, so about 85 to a row, under the batch
        // size): the row fills by length. The last name is sized so the row's length rule is met exactly (fits), then
        // one character longer (does not fit).
        var filler = new List<InventoryMatch>();
        var length = 2; // the writer's running length: the brackets, then each finding and a separator
        for (var i = 0; ; i++)
        {
            var match = Bucket0Match($"F{i:D5}-", 200, i);
            var added = JsonLength(agency, "exact", match) + 1;
            if (TableJson.MaxChars - (length + added + 1) < 300)
            {
                break; // leaves room for a last finding of 300 to 650 characters
            }

            filler.Add(match);
            length += added;
        }

        Assert.InRange(filler.Count, 2, FindingStore.BatchSize - 1);

        var room = TableJson.MaxChars - (length + 1);
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
            Assert.All(stored, r => Assert.InRange(r.Length, 1, TableJson.MaxChars));
            if (rows == 1)
            {
                Assert.Equal(TableJson.MaxChars - 1, stored[0].Length); // the fullest row the rule allows
            }
        }
    }

    [Fact]
    public async Task RejectedFile_WhoseEarlierFindingsWriteFailed_IsStillRecordedAsRejected()
    {
        var fault = new FaultInjection(m => FaultInjection.IsBatchTo(m, StorageNames.FindingsTable), failOnMatch: 1);
        var settings = new StorageClientSettings();
        settings.Policies.Add(fault);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var blob = await Uploads.UploadAsync(services, $"{agency}/binary-tail.csv", Uploads.InventoryWithBinaryTail(3000));

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

    /// <summary>A bucket-0 match whose stored JSON is exactly <paramref name="jsonLength"/> characters.</summary>
    private static InventoryMatch SizedMatch(string agency, string submissionId, int jsonLength)
    {
        var probe = Bucket0Match("LAST-", 100, 9000);
        var nameLength = 100 + jsonLength - JsonLength(agency, submissionId, probe);
        Assert.InRange(nameLength, 20, 512);
        return Bucket0Match("LAST-", nameLength, 9000);
    }

    private static int JsonLength(string agency, string submissionId, InventoryMatch match) =>
        FindingStore.Serialize(FindingWriter.Finding(agency, submissionId, FindingWriter.KeyOf(match), match)).Length;

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
