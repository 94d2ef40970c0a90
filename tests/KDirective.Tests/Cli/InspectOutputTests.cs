using System.Text;
using System.Text.Json;

namespace KDirective.Tests.Cli;

public class InspectOutputTests
{
    [Fact]
    public async Task Inspect_Directory_SaysItIsADirectory()
    {
        var (code, _, error) = await InspectCommandTests.Run("inspect", Path.GetTempPath());

        Assert.Equal(1, code);
        Assert.Contains("is a directory", error);
    }

    [Fact]
    public async Task Inspect_TextMatches_ReplaceControlCharactersFromTheUpload()
    {
        var path = Paths.TempFile();
        await File.WriteAllTextAsync(path, "Hostname,Publisher,Product,Version\nPC-1,Kaspersky Lab,Kaspersky Anti-Virus,15\u202E\nPC-2,Kaspersky\u0007 Lab,Kaspersky Free,1\n");

        var (_, output, _) = await InspectCommandTests.Run("inspect", path, "--matches");

        Assert.Contains("match:     line 2", output);
        Assert.Contains("possible:  line 3", output);
        Assert.DoesNotContain("\u202E", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0007", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_JsonMatches_StreamsEveryMatchInOrderIntoAValidDocument()
    {
        var path = Paths.TempFile();
        var text = new StringBuilder("Hostname,Publisher,Product,Version\n");
        for (var i = 0; i < 5000; i++)
        {
            text.Append($"PC-{i},Kaspersky Lab,Kaspersky Anti-Virus,{i}\n");
        }

        await File.WriteAllTextAsync(path, text.ToString());

        var (code, output, _) = await InspectCommandTests.Run("inspect", path, "--json", "--matches");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var matches = json.RootElement.GetProperty("matches").EnumerateArray().ToArray();
        Assert.Equal(5000, matches.Length);
        Assert.Equal(Enumerable.Range(2, 5000), matches.Select(m => m.GetProperty("line").GetInt32()));
        Assert.Equal(5000, json.RootElement.GetProperty("findings")[0].GetProperty("endpoints").GetInt32());
    }

    [Fact]
    public async Task Inspect_JsonMatchesWithNoMatch_HasAnEmptyList()
    {
        var path = Paths.TempFile();
        await File.WriteAllTextAsync(path, "Hostname,Publisher,Product,Version\nPC-1,Microsoft,Edge,1\n");

        var (_, output, _) = await InspectCommandTests.Run("inspect", path, "--json", "--matches");

        using var json = JsonDocument.Parse(output);
        Assert.Empty(json.RootElement.GetProperty("matches").EnumerateArray());
    }
}
