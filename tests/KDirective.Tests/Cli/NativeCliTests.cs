using System.Diagnostics;
using System.Text;
using KDirective.Storage;
using KDirective.Tests.Directives;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Cli;

/// <summary>
/// The command line as users run it, published by scripts/setup.sh: the native build in artifacts/kdirective/ must
/// print what the library prints, byte for byte, and hand every storage command to the full build in lib/.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class NativeCliTests(AzuriteFixture azurite)
{
    private static readonly string Folder = Path.Combine(Paths.Root, "artifacts", "kdirective");

    private static string Native => Path.Combine(Folder, "kdirective");

    /// <summary>Every sample, and files that exercise what differs between builds: encodings, rejections, escaping.</summary>
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Paths.Samples, "inventories")).Concat(Directory.EnumerateFiles(Path.Combine(Paths.Samples, "plans"))).Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        var dir = Path.Combine(Path.GetTempPath(), "kdirective-tests", "native");
        Directory.CreateDirectory(dir);
        var generated = new (string Name, byte[] Content)[]
        {
            ("utf16-semicolons.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("Hostname;Publisher;Product;Version\r\nPC-1;AO Kaspersky Lab;Kaspersky Endpoint Security 11;11.1\r\nPC-2;Microsoft;Edge;1\r\n")]),
            ("cyrillic-and-formulas.csv", Encoding.UTF8.GetBytes("Hostname,Publisher,Product,Version\nпк-1,Лаборатория Касперского,Kaspersky Free,=1+1\n<script>x</script>,Kaspersky Lab,\"Kaspersky Anti-Virus\",@SUM(A1)\n")),
            // Look-alike names: compatibility (NFKC) and canonical decomposition come from ICU in both builds.
            ("obfuscated.csv", Encoding.UTF8.GetBytes("Hostname,Publisher,Product,Version\nPC-1,Ｋａｓｐｅｒｓｋｙ Ｌａｂ,Ｋａｓｐｅｒｓｋｙ Ａｎｔｉ-Ｖｉｒｕｓ,1\nPC-2,Ka\u0301spersky Lab,Kaspe\u200Brsky Endpoint Security,2\nPC-3,Kasp\u0435rsky Lab,K\u0430spersky Free,3\nPC-4,Kaspersky,Kaspersky Total Security,4\n")),
            ("no-format.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n")),
            ("bad-rows.csv", Encoding.UTF8.GetBytes("Hostname,Publisher,Product,Version\nPC-1,Kaspersky Lab,Kaspersky Anti-Virus,15\nPC-2,,,\n\"PC-3,Kaspersky Lab,Kaspersky Anti-Virus,15\n")),
            ("binary.csv", [.. Encoding.UTF8.GetBytes("Hostname,Publisher,Product,Version\nPC-1,Kaspersky Lab,Kaspersky Anti-Virus,15\n"), 0, 1, 2, 0xFF, 0xFE, 0]),
        };
        foreach (var (name, content) in generated)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllBytes(path, content);
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Inspect_NativeBuild_PrintsExactlyWhatTheLibraryPrints(string file)
    {
        foreach (var options in new[] { new[] { "--json", "--matches" }, ["--matches"] })
        {
            var expected = await InspectCommandTests.Run(["inspect", file, .. options]);

            var actual = await RunAsync(Native, [], ["inspect", file, .. options]);

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void NativeBuild_IsOneNativeExecutable_NotAnAppHostForAnAssembly()
    {
        var head = new byte[4];
        using (var stream = File.OpenRead(Native))
        {
            stream.ReadExactly(head);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), head);
        Assert.False(File.Exists(Path.Combine(Folder, "kdirective.dll")), "an apphost's assembly sits beside the native build");
        Assert.True(File.Exists(Path.Combine(Folder, "lib", "kdirective.dll")), "the full build is missing from lib/");
    }

    [Fact]
    public async Task StorageCommands_RunInTheFullBuild_WithTheirOutputAndExitCode()
    {
        var expected = await InspectCommandTests.Run("agencies", "list", "--json", "--storage", azurite.ConnectionString);
        var unreachable = "UseDevelopmentStorage=false;DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1";

        var listed = await RunAsync(Native, [], ["agencies", "list", "--json", "--storage", azurite.ConnectionString]);
        var failed = await RunAsync(Native, [], ["status", "--storage", unreachable]);
        var usage = await RunAsync(Native, [], ["ingest"]);

        Assert.Equal(expected, listed);
        Assert.Equal(1, failed.Code);
        Assert.StartsWith("kdirective: ", failed.Error);
        Assert.Equal(1, usage.Code);
        Assert.Contains("ingest --agency <id>", usage.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Inspect_WithACatalogBlob_RunsInTheFullBuild_WhichReadsIt(bool asOption)
    {
        var blobName = $"native-{Guid.NewGuid():N}.tsv";
        var container = azurite.Connect().Blobs.GetBlobContainerClient("config");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient(blobName).UploadAsync(M2313.Catalog, overwrite: true);
        var setting = $"blob:config/{blobName}";
        var environment = new Dictionary<string, string?> { [StorageConnection.SettingName] = azurite.ConnectionString, ["Directive__Catalog"] = asOption ? null : setting };
        string[] catalog = asOption ? ["--catalog", setting] : [];

        var (code, output, error) = await RunAsync(Native, environment, [.. catalog, "inspect", M2313.RawExport, "--json"]);

        Assert.True(code == 0, error);
        Assert.Contains("\"product\": \"TikTok\"", output);
        Assert.DoesNotContain("Kaspersky", output);
    }

    [Fact]
    public async Task NativeBuild_WithoutTheFullBuild_SaysWhichFileIsMissing_AndStillInspects()
    {
        var alone = Path.Combine(Path.GetTempPath(), "kdirective-tests", $"native-alone-{Guid.NewGuid():N}");
        Directory.CreateDirectory(alone);
        var copy = Path.Combine(alone, "kdirective");
        File.Copy(Native, copy);

        var status = await RunAsync(copy, [], ["status"]);
        var inspect = await RunAsync(copy, [], ["inspect", Paths.Inventory("kdirective-template.csv")]);

        Assert.Equal(1, status.Code);
        Assert.Equal($"kdirective: 'status' runs in the full build, and {Path.Combine(alone, "lib", "kdirective")} is missing (scripts/setup.sh publishes both builds)\n", status.Error);
        Assert.Equal(0, inspect.Code);
        Directory.Delete(alone, recursive: true);
    }

    [Fact]
    public async Task Serve_StopsWhenTheNativeBuildIsSentSigterm()
    {
        var start = Start(Native, [], ["serve", "--port", "0", "--storage", azurite.ConnectionString]);
        using var native = Process.Start(start)!;
        try
        {
            var banner = await native.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.StartsWith("dashboard: http://127.0.0.1:", banner);
            var url = banner!.Split(' ')[1];
            using var http = new HttpClient();
            using (await http.GetAsync(url))
            {
                // Serving: the full build answered through the port it printed.
            }

            using (var kill = Process.Start("kill", ["-TERM", native.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await native.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(0, native.ExitCode);
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(url));
        }
        finally
        {
            if (!native.HasExited)
            {
                native.Kill(entireProcessTree: true);
            }
        }
    }

    private static ProcessStartInfo Start(string executable, Dictionary<string, string?> environment, string[] args)
    {
        Assert.True(File.Exists(executable), $"{executable} is missing: scripts/setup.sh publishes it (scripts/test.sh runs setup first)");
        var settings = new Dictionary<string, string?> { ["Directive__Catalog"] = null };
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }

        return ChildProcess.StartInfo(executable, args, settings);
    }

    [Fact]
    public async Task BenchIngest_TimesTheServiceInTheFullBuild_AndReportsItsStagesAllocationsAndJit()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kdirective-tests", "bench-" + Guid.NewGuid().ToString("N"));

        var (code, output, error) = await RunAsync(Native, [], ["bench", "--ingest", "--shape", "narrow", "--rows", "3000", "--runs", "1", "--dir", dir, "--storage", azurite.ConnectionString]);

        Assert.True(code == 0, output + error);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("narrow   3000", StringComparison.Ordinal) && l.Contains(" inspect ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("narrow   3000", StringComparison.Ordinal) && l.Contains(" service ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("narrow   3000", StringComparison.Ordinal) && l.Contains(" warm ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("read + match, findings sent meanwhile", StringComparison.Ordinal));
        var allocated = Assert.Single(lines, l => l.StartsWith("allocated while the service ran", StringComparison.Ordinal));
        var mib = double.Parse(allocated.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(mib, 0.1, 200); // a 3,000-row file: something was counted, and not the whole process's start

        // A fresh process compiles the service's first calls, so a count of zero would mean nothing was measured.
        var jit = Assert.Single(lines, l => l.StartsWith("JIT while the service ran: ", StringComparison.Ordinal));
        var methods = long.Parse(System.Text.RegularExpressions.Regex.Match(jit, @"ran: (\d+) methods \(all threads\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(methods, 1, 100_000);
        var seconds = double.Parse(jit.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 0.0001, 60);

        // The service's CPU against inspect's, both measured: a process that runs the service and compiles its first
        // calls spends CPU, and so does inspect's whole process.
        var cpu = Assert.Single(lines, l => l.StartsWith("CPU while the service ran: this process (all threads)", StringComparison.Ordinal));
        var cpuMatch = System.Text.RegularExpressions.Regex.Match(cpu, @"(\d+\.\d\d) s +(\d+\.\d\d)x inspect's (\d+\.\d\d) s$");
        Assert.True(cpuMatch.Success, cpu);
        Assert.InRange(double.Parse(cpuMatch.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.01, 60);
        Assert.InRange(double.Parse(cpuMatch.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture), 0.01, 60);
        var others = Assert.Single(lines, l => l.StartsWith("CPU meanwhile: every other process on this machine", StringComparison.Ordinal));
        Assert.InRange(double.Parse(others.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^2], System.Globalization.CultureInfo.InvariantCulture), 0, 60);
    }

    [Fact]
    public async Task BenchChildIngest_TimesTheServiceOnAnUploadMadeByAnotherProcess_AndRefusesOneAlreadyIngested()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kdirective-tests", "bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"upload-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "Hostname,Publisher,Product,Version\nPC-1,Kaspersky Lab,Kaspersky Anti-Virus,15\nPC-2,Microsoft,Edge,1\nPC-3,AO Kaspersky Lab,Kaspersky Free,2\n");
        string[] Child(string mode) => ["bench-child", mode, file, "--storage", azurite.ConnectionString];

        // Nothing uploaded yet: the timed child does not upload for itself.
        var (missing, missingOutput, missingError) = await RunAsync(Native, [], Child("ingest"));
        Assert.NotEqual(0, missing);
        Assert.Contains("404", missingOutput + missingError, StringComparison.Ordinal);

        var (uploaded, uploadOutput, uploadError) = await RunAsync(Native, [], Child("upload"));
        Assert.True(uploaded == 0, uploadOutput + uploadError);
        Assert.Equal($"inventories/bench/{Path.GetFileName(file)}\ninventories/bench/again-{Path.GetFileName(file)}", uploadOutput.Trim());

        var (code, output, error) = await RunAsync(Native, [], Child("ingest"));
        Assert.True(code == 0, output + error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("3", lines[0].Split(' ')[1]); // the head line's rows: the file was read
        var head = lines[0].Split(' ');
        Assert.Equal(7, head.Length);
        Assert.InRange(double.Parse(head[5], System.Globalization.CultureInfo.InvariantCulture), 0.001, 120); // the service's CPU
        Assert.InRange(double.Parse(head[6], System.Globalization.CultureInfo.InvariantCulture), 0, 120); // other processes' (Linux)
        Assert.Contains(lines, l => l.StartsWith("read + match, findings sent meanwhile\t", StringComparison.Ordinal));
        var process = Assert.Single(lines, l => l.StartsWith("cold process\t", StringComparison.Ordinal)).Split('\t');
        Assert.InRange(double.Parse(process[1], System.Globalization.CultureInfo.InvariantCulture), 0.001, 120);
        var warm = Assert.Single(lines, l => l.StartsWith("warm service\t", StringComparison.Ordinal)).Split('\t');
        Assert.InRange(double.Parse(warm[1], System.Globalization.CultureInfo.InvariantCulture), 0.0001, 120);
        Assert.InRange(long.Parse(warm[3], System.Globalization.CultureInfo.InvariantCulture), 1 << 20, 1L << 34);

        // Both uploads were ingested, each as a new submission of the agency.
        await using var services = await KDirective.Cli.CliServices.CreateAsync(azurite.ConnectionString, CancellationToken.None);
        var submissions = await services.GetRequiredService<KDirective.Ingestion.SubmissionStore>().ListAsync("bench");
        Assert.Contains(submissions, s => s.BlobName == $"bench/{Path.GetFileName(file)}" && s.State == KDirective.Ingestion.SubmissionEntity.Complete && s.RowsRead == 3);
        Assert.Contains(submissions, s => s.BlobName == $"bench/again-{Path.GetFileName(file)}" && s.State == KDirective.Ingestion.SubmissionEntity.Complete && s.RowsRead == 3);

        // The copy is the next upload: received after the first (a copy made in the same second would otherwise come
        // first, by its name), so its diff compares with the first, and the warm run recomputes no earlier diff.
        var firstId = submissions.Single(s => s.BlobName == $"bench/{Path.GetFileName(file)}").SubmissionId;
        var copy = submissions.Single(s => s.BlobName == $"bench/again-{Path.GetFileName(file)}");
        Assert.Equal(firstId, (await services.GetRequiredService<KDirective.Ingestion.HostDiffStore>().GetAsync("bench", copy.SubmissionId))!.PreviousSubmissionId);

        // The same upload again is a redelivery, which the service answers without reading: not a measurement.
        var (again, againOutput, againError) = await RunAsync(Native, [], Child("ingest"));
        Assert.NotEqual(0, again);
        Assert.Contains("this upload was already ingested", againError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", againOutput + againError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchMatches_TimesInspectWithMatchesOnAFileWhoseEveryRowMatches()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kdirective-tests", "bench-" + Guid.NewGuid().ToString("N"));

        var (code, output, error) = await RunAsync(Native, [], ["bench", "--matches", "--shape", "narrow", "--rows", "2000", "--runs", "1", "--dir", dir]);

        Assert.True(code == 0, output + error);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("narrow   2000", StringComparison.Ordinal) && l.Contains(" bare ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("narrow   2000", StringComparison.Ordinal) && l.Contains(" matches ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(" inspect ", StringComparison.Ordinal)); // no start-up line: the case is the matches

        var report = await new KDirective.Inventory.InventoryReader().ReadAsync(
            new KDirective.Inventory.FileInventorySource(Path.Combine(dir, "narrow-2000-matching.csv")), sink: null, keepMatches: true);
        Assert.Equal(2000, report.RowsRead);
        Assert.Equal(2000, report.Matches.Count);
    }

    [Fact]
    public async Task BenchChildMatches_FailsWhenTheDocumentHoldsFewerMatchesThanRows()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kdirective-tests", "bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "some.csv");
        await File.WriteAllTextAsync(file, "Hostname,Publisher,Product,Version\nPC-1,Kaspersky Lab,Kaspersky Anti-Virus,15\nPC-2,Microsoft,Edge,1\nPC-3,AO Kaspersky Lab,Kaspersky Free,2\n");

        var (code, output, error) = await RunAsync(Native, [], ["bench-child", "matches", file]);

        Assert.NotEqual(0, code);
        Assert.Contains("2 matches written for 3 rows", output + error, StringComparison.Ordinal);
    }

    private static Task<(int Code, string Output, string Error)> RunAsync(string executable, Dictionary<string, string?> environment, string[] args) =>
        ChildProcess.RunAsync(Start(executable, environment, args));
}
