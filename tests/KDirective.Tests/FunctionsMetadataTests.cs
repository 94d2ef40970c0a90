using System.Text.Json;

namespace KDirective.Tests;

/// <summary>The Functions SDK's generated metadata is what the host indexes: assert on the real build output.</summary>
public class FunctionsMetadataTests
{
    internal static JsonElement Function(string name)
    {
        var path = Path.Combine(Paths.Root, "functions", "KDirective.Functions", "bin", "Debug", "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build the solution first");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == name).Clone();
    }

    [Theory]
    [InlineData("InventoryUploaded", "inventories/{agency}/{name}")]
    [InlineData("PlanUploaded", "plans/{agency}/{name}")]
    public void BlobTriggers_UseTheEventGridSourceAndTheInventoryStorageConnection(string function, string path)
    {
        var binding = Function(function).GetProperty("bindings")[0];

        Assert.Equal("blobTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("EventGrid", binding.GetProperty("source").GetString());
        Assert.Equal(path, binding.GetProperty("path").GetString());
        Assert.Equal("InventoryStorage", binding.GetProperty("connection").GetString());
    }
}
