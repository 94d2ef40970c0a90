using System.Text;
using KDirective.Ingestion;
using KDirective.Inventory;

namespace KDirective.Tests.Ingestion;

/// <summary>
/// The finding writer encodes each finding into reused buffers. What it stores must stay what the readers and every
/// earlier attempt expect: the key of <see cref="FindingWriter.KeyOf"/>, the bucket of <see cref="FindingEntity.BucketFor"/>
/// and the JSON of <see cref="FindingStore.Serialize"/>, whatever the text.
/// </summary>
public class FindingEncoderTests
{
    public static TheoryData<string?, string, string?> Findings => new()
    {
        { "ws-000001.agency.example.gov", "Kaspersky Endpoint Security", "11.1.0.15919" },
        { "WS-000001.AGENCY.EXAMPLE.GOV", "Kaspersky Endpoint Security", null },
        { null, "Kaspersky Security Center", "14.2" }, // an aggregated row: no host
        { "straße-ıi-İ-ǅ", "Kaspersky Anti-Virus", "21.3" }, // letters whose upper case is not ASCII's
        { "host\"with'quotes<&>+`", "Kaspersky \"Total\" Security", "1\\2/3" }, // what the encoder escapes
        { "hôte-日本-😀", "Лаборатория Касперского", "\u0001\u001F" }, // non-ASCII, a surrogate pair, control characters
        { "broken-\uD800-surrogate", "Kaspersky", "\uDC00" }, // lone surrogates become U+FFFD in both
        { new string('h', 512), new string('p', 512), new string('v', 512) }, // the longest values the reader lets through
        { string.Empty, "Kaspersky", string.Empty },
    };

    [Theory]
    [MemberData(nameof(Findings))]
    public void EncodedFinding_HasTheReferenceKeyBucketAndJson(string? hostname, string product, string? version)
    {
        var match = new InventoryMatch(4242, hostname, "AO Kaspersky Lab", product, version, product, 7);
        var key = FindingWriter.KeyOf(match);
        var encoder = new FindingEncoder();

        encoder.Encode(hostname, product, version, 7, 4242);

        Assert.Equal(key, encoder.Key);
        Assert.Equal(Convert.ToUInt64(key[..16], 16), encoder.Short);
        Assert.Equal(FindingEntity.BucketFor(hostname, key), encoder.Bucket);
        Assert.Equal(FindingStore.Serialize(FindingWriter.Finding("agency", "submission", key, match)), Encoding.UTF8.GetString(encoder.Json));
    }

    [Fact]
    public void EncoderReused_GivesEachFindingItsOwnResult()
    {
        // One encoder serves a whole file: a long value must not leave its tail in the next finding's buffers.
        var encoder = new FindingEncoder();
        var values = new[] { ("a-much-longer-host-name-than-the-next.example.gov", "Kaspersky Endpoint Security", "11.1.0.15919"), ("h", "K", "1") };
        foreach (var (hostname, product, version) in values.Concat(values))
        {
            var match = new InventoryMatch(1, hostname, null, product, version, product, 1);
            encoder.Encode(hostname, product, version, 1, 1);
            Assert.Equal(FindingWriter.KeyOf(match), encoder.Key);
            Assert.Equal(FindingStore.Serialize(FindingWriter.Finding("a", "s", encoder.Key, match)), Encoding.UTF8.GetString(encoder.Json));
        }
    }
}
