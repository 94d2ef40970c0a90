using System.Text.Json.Serialization;

namespace KDirective.Inventory;

/// <summary>
/// Serialization code for <see cref="InventoryJson"/>'s documents, generated at build time: the reflection-based
/// serializer spent more of a small file's <c>inspect --json</c> than reading it did (building its metadata and
/// emitting accessors on the first call). Names and settings still come from <see cref="InventoryJson.Options"/>.
/// The packed rows of findings and host diffs are here too: the first ingestion in a fresh process built their
/// metadata by reflection while the file was being read.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(InventoryJson.Document))]
[JsonSerializable(typeof(InventoryJson.MatchDto))]
[JsonSerializable(typeof(List<InventoryJson.FindingDto>))]
[JsonSerializable(typeof(Ingestion.FindingStore.StoredFinding))]
[JsonSerializable(typeof(List<Ingestion.FindingStore.StoredFinding>))]
[JsonSerializable(typeof(Ingestion.HostDiffStore.StoredChange))]
[JsonSerializable(typeof(List<Ingestion.HostDiffStore.StoredChange>))]
internal sealed partial class InventoryJsonContext : JsonSerializerContext;
