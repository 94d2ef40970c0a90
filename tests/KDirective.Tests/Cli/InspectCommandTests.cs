using System.Text.Json;
using KDirective.Cli;

namespace KDirective.Tests.Cli;

public class InspectCommandTests
{
    [Fact]
    public async Task Inspect_Json_HasTheStableShape()
    {
        var (code, output, _) = await Run("inspect", Paths.Inventory("powershell-uninstall-export.csv"), "--json", "--matches");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(
            ["file", "format", "encoding", "delimiter", "accepted", "error", "rowsRead", "rowsRejected", "rejections", "endpointsScanned", "endpointsAffected", "findings", "possibleFindings", "possibleFindingCount", "matches"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        var match = json.RootElement.GetProperty("matches")[0];
        Assert.Equal(["line", "hostname", "publisher", "name", "version", "product", "obfuscated"], match.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, match.GetProperty("line").GetInt32());
        Assert.Equal(["product", "endpoints", "versions", "obfuscated"], json.RootElement.GetProperty("findings")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Inspect_Json_WithoutMatchesFlag_OmitsMatches()
    {
        var (_, output, _) = await Run("inspect", Paths.Inventory("mecm-add-remove-programs.csv"), "--json");

        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.TryGetProperty("matches", out _));
        Assert.Equal(9, json.RootElement.GetProperty("rowsRead").GetInt32());
    }

    [Fact]
    public async Task Inspect_FormulaValue_IsNeverEmittedAsAnHtmlOrScriptActiveString()
    {
        var path = Paths.TempFile();
        await File.WriteAllTextAsync(path, "Hostname,Publisher,Product,Version\n<script>x</script>,Kaspersky Lab,Kaspersky Anti-Virus,=1+1\n");

        var (_, output, _) = await Run("inspect", path, "--json", "--matches");

        Assert.DoesNotContain("<script>", output);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("<script>x</script>", json.RootElement.GetProperty("matches")[0].GetProperty("hostname").GetString());
        Assert.Equal("=1+1", json.RootElement.GetProperty("matches")[0].GetProperty("version").GetString());
    }

    [Fact]
    public async Task Inspect_RejectedFile_ExitsWith2AndSaysWhy()
    {
        var path = Paths.TempFile();
        await File.WriteAllTextAsync(path, "a,b\n1,2\n");

        var (code, output, _) = await Run("inspect", path);

        Assert.Equal(2, code);
        Assert.Contains("REJECTED", output);
        Assert.Contains("no known inventory format", output);
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("inspect", "a.csv", "b.csv")]
    [InlineData("inspect", "x.csv", "--bogus")]
    [InlineData("frobnicate")]
    public async Task Inspect_UsageError_ExitsWith1(params string[] args)
    {
        var (code, _, error) = await Run(args);

        Assert.Equal(1, code);
        Assert.Contains("usage", error);
    }

    [Fact]
    public async Task Inspect_MissingFile_ExitsWith1()
    {
        var (code, _, error) = await Run("inspect", "/nonexistent/file.csv");

        Assert.Equal(1, code);
        Assert.Contains("no such file", error);
    }

    [Fact]
    public async Task Inspect_Text_ShowsFindingsAndRejections()
    {
        var path = Paths.TempFile();
        await File.WriteAllTextAsync(path, "Hostname,Publisher,Product,Version\nPC-1,Kaspersky Lab,Kaspersky Anti-Virus,15\nPC-2,,,\n");

        var (code, output, _) = await Run("inspect", path);

        Assert.Equal(0, code);
        Assert.Contains("Kaspersky Anti-Virus: 1 endpoint(s); versions 15", output);
        Assert.Contains("line 3: no product name", output);
    }

    internal static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
