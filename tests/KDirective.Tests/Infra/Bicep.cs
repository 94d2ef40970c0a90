using System.Diagnostics;
using System.Text.Json;

namespace KDirective.Tests.Infra;

/// <summary>
/// Runs the Bicep CLI that scripts/setup.sh restores from NuGet, and compiles main.bicep once per test run. The
/// compiled template is also kept in the temp folder under a hash of every file in <c>infra/</c> and of the CLI
/// binary, so a new test process (Stryker.NET starts many) reuses it while nothing it was compiled from changed.
/// </summary>
internal static class Bicep
{
    private static readonly Lazy<JsonElement> Compiled = new(() =>
    {
        var cached = Path.Combine(Path.GetTempPath(), $"kdirective-bicep-{InputsHash()}.json");
        if (!File.Exists(cached))
        {
            var (code, output, error) = Run("build", Path.Combine(Paths.Root, "infra", "main.bicep"), "--stdout");
            Assert.True(code == 0, $"bicep build failed: {error}");
            var partial = $"{cached}.{Environment.ProcessId}.tmp";
            File.WriteAllText(partial, output);
            File.Move(partial, cached, overwrite: true); // whole or not at all, whichever process gets there first
        }

        return JsonDocument.Parse(File.ReadAllText(cached)).RootElement.Clone();
    });

    public static JsonElement Template => Compiled.Value;

    /// <summary>What the compiled template depends on: the name and content of every file in infra/, and the CLI itself.</summary>
    internal static string InputsHash() => InputsHash(Path.Combine(Paths.Root, "infra"), Executable);

    internal static string InputsHash(string infra, string executable)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(infra, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(infra, file) + "\0"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        // The CLI (120 MB) by size and time of writing: a restore of another version changes both.
        var cli = new FileInfo(executable);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"\0{cli.Length}:{cli.LastWriteTimeUtc.Ticks}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string Executable
    {
        get
        {
            var path = Path.Combine(Paths.Root, "tools", "bicep", "bicep");
            Assert.True(File.Exists(path), $"{path} is missing: run 'bash scripts/setup.sh' (it restores the Bicep CLI from NuGet)");
            return path;
        }
    }

    public static (int Code, string Output, string Error) Run(params string[] args) => Run(new Dictionary<string, string?>(), args);

    /// <summary>Runs the CLI with these environment variables set (or removed, when null): what readEnvironmentVariable reads.</summary>
    public static (int Code, string Output, string Error) Run(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(Paths.Root, "infra") };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        // The CLI checks for updates and telemetry over the network unless told not to; neither is reachable here.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Every resource of a type, from the template and the templates of its nested deployments.</summary>
    public static IReadOnlyList<JsonElement> Resources(string type) => All(Template).Where(r => r.GetProperty("type").GetString() == type).ToArray();

    /// <summary>The nested deployment main.bicep declares for one module (its condition, parameters and template).</summary>
    public static JsonElement Module(string module) => All(Template)
        .Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == module);

    /// <summary>The parameters main.bicep passes to one module.</summary>
    public static JsonElement ModuleParameters(string module) => Module(module).GetProperty("properties").GetProperty("parameters");

    /// <summary>The compiled template of one module.</summary>
    public static JsonElement ModuleTemplate(string module) => Module(module).GetProperty("properties").GetProperty("template");

    /// <summary>Every resource of a type in one module's template.</summary>
    public static IReadOnlyList<JsonElement> ModuleResources(string module, string type) => All(ModuleTemplate(module))
        .Where(r => r.GetProperty("type").GetString() == type).ToArray();

    private static IEnumerable<JsonElement> All(JsonElement template)
    {
        foreach (var resource in template.GetProperty("resources").EnumerateArray())
        {
            yield return resource;
            if (resource.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("template", out var nested))
            {
                foreach (var inner in All(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
