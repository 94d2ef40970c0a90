using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KDirective.Storage;

namespace KDirective.Tests.Storage;

/// <summary>
/// A real Azurite (pinned in package.json) on free loopback ports with in-memory persistence, started once for
/// the test collection and stopped after it. Storage is never mocked. It runs under <c>azurite-tethered.js</c>, which
/// ends the emulator when this test host is gone, so a test host killed outright (Stryker.NET does that to a hung
/// mutant) leaves no emulator behind.
/// </summary>
public class AzuriteFixture : IAsyncLifetime
{
    // Azurite's published development account key: it opens nothing outside this loopback emulator.
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _process;
    private string? _workspace;

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The launcher that ends the emulator with its parent (first argument: the parent's process id).</summary>
    public static string TetheredLauncher => Path.Combine(Paths.Root, "tests", "KDirective.Tests", "Storage", "azurite-tethered.js");

    public async Task InitializeAsync()
    {
        var azurite = Path.Combine(Paths.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"{azurite} is missing: run 'bash scripts/setup.sh' (npm ci) first.");
        }

        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        _workspace = Directory.CreateTempSubdirectory("azurite-").FullName;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = _workspace, // its debug and extent files, if any, stay out of the repository
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     TetheredLauncher, $"{Environment.ProcessId}", "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl",
                     "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                     "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("azurite did not start");
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPortAsync(blob);
        await WaitForPortAsync(table);
        await WaitForPortAsync(queue);

        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevKey};" +
                           $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
                           $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
        await new StorageInitializer(StorageConnection.FromConnectionString(ConnectionString)).EnsureCreatedAsync();
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        if (_workspace is not null)
        {
            try
            {
                Directory.Delete(_workspace, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a temp folder
            }
        }

        return Task.CompletedTask;
    }

    public StorageConnection Connect(StorageClientSettings? settings = null) => StorageConnection.FromConnectionString(ConnectionString, settings);

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 20)
        {
            _output.TryDequeue(out _);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"azurite exited with code {_process.ExitCode}: {string.Join(" | ", _output)}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>
/// A second emulator for tests that run over every registered agency (the reminder service does): they reset its
/// tables first, so what they count is their own.
/// </summary>
public sealed class IsolatedAzurite : AzuriteFixture
{
    public async Task ResetAsync()
    {
        var storage = Connect();
        foreach (var table in StorageNames.Tables)
        {
            await storage.Tables.DeleteTableAsync(table);
        }

        await new StorageInitializer(storage).EnsureCreatedAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class IsolatedAzuriteCollection : ICollectionFixture<IsolatedAzurite>
{
    public const string Name = "Isolated Azurite";
}
