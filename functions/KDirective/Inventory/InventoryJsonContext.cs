using System.Text.Json.Serialization;

namespace KDirective.Inventory;

/// <summary>
/// Serialization code for <see cref="InventoryJson"/>'s documents, generated at build time: the reflection-based
/// serializer spent more of a small file's <c>inspect --json</c> than reading it did (building its metadata and
/// emitting accessors on the first call). Names and settings still come from <see cref="InventoryJson.Options"/>.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(InventoryJson.Document))]
[JsonSerializable(typeof(InventoryJson.MatchDto))]
[JsonSerializable(typeof(List<InventoryJson.FindingDto>))]
internal sealed partial class InventoryJsonContext : JsonSerializerContext;
