using System.Reflection.PortableExecutable;
using System.Text.Json;
using KDirective.Tests.Cli;

namespace KDirective.Tests.Infra;

/// <summary>
/// What <c>azd deploy</c> ships: it runs <c>dotnet publish</c> on the Functions project. The package must carry what
/// the Functions host reads, and its assemblies must be ReadyToRun for Linux x64, so that a new worker's first blob
/// does not compile every method it calls (README, Performance).
/// </summary>
public class FunctionsPublishTests
{
    [Fact]
    public async Task Publish_IsReadyToRunForLinuxX64_FrameworkDependent_AndCarriesWhatTheHostReads()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kdirective-tests", "publish-" + Guid.NewGuid().ToString("N"));
        var output = Path.Combine(dir, "out");
        try
        {
            // Its own artifacts path, so the solution's obj/ and bin/ (which other tests read) are left alone.
            var (code, log) = await DotnetAsync("publish", Path.Combine(Paths.Root, "functions", "KDirective.Functions"), "-c", "Release",
                "--artifacts-path", Path.Combine(dir, "artifacts"), "-o", output, "--nologo", "-clp:ErrorsOnly");
            Assert.True(code == 0, log);

            foreach (var file in new[] { "functions.metadata", "host.json", "worker.config.json", "extensions.json", "KDirective.Functions.dll" })
            {
                Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is not in the published package");
            }

            foreach (var assembly in new[] { "KDirective.Functions.dll", "KDirective.Core.dll", "CsvHelper.dll", "Azure.Storage.Blobs.dll", "Azure.Data.Tables.dll" })
            {
                using var pe = new PEReader(File.OpenRead(Path.Combine(output, assembly)));
                Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} is IL only, not ReadyToRun");
                // ReadyToRun code for Linux marks the machine as x64 XOR 0x7B79 (the runtime's OS machine override).
                Assert.Equal((ushort)Machine.Amd64 ^ 0x7B79, (ushort)pe.PEHeaders.CoffHeader.Machine);
            }

            // Framework-dependent: the Functions host provides .NET 10, so the package does not carry a runtime.
            using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "KDirective.Functions.runtimeconfig.json")));
            Assert.True(config.RootElement.GetProperty("runtimeOptions").TryGetProperty("frameworks", out _));
            Assert.False(config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.Runtime.TieredPGO").GetBoolean());
            Assert.False(File.Exists(Path.Combine(output, "libcoreclr.so")));
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is not this test's failure.
            }
        }
    }

    /// <summary>A nested <c>dotnet</c>, without the MSBuild variables of the test host's environment, so it finds its own SDK.</summary>
    private static async Task<(int Code, string Log)> DotnetAsync(params string[] args)
    {
        var msbuild = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToDictionary(k => k, _ => (string?)null);
        var (code, output, error) = await ChildProcess.RunAsync(ChildProcess.StartInfo("dotnet", args, msbuild), TimeSpan.FromMinutes(10));
        return (code, output + error);
    }
}
