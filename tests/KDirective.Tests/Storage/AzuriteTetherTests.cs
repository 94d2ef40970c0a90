using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KDirective.Tests.Storage;

/// <summary>
/// The test emulator ends with the process that started it, even one killed outright (as Stryker.NET kills a hung
/// test host), so no Azurite is left running after the tests.
/// </summary>
public sealed class AzuriteTetherTests
{
    [Fact]
    public async Task Emulator_StaysUpWhileItsParentLives_AndEndsSoonAfterTheParentIsKilled()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
        var workspace = Directory.CreateTempSubdirectory("azurite-tether-").FullName;
        var blob = FreePort();
        var start = new ProcessStartInfo("node") { WorkingDirectory = workspace, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     AzuriteFixture.TetheredLauncher, $"{parent.Id}", "--inMemoryPersistence", "--silent", "--blobHost", "127.0.0.1",
                     "--blobPort", $"{blob}", "--queuePort", $"{FreePort()}", "--tablePort", $"{FreePort()}",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var launcher = Process.Start(start)!;
        try
        {
            Assert.True(await WaitAsync(() => Listening(blob), TimeSpan.FromSeconds(60)), "the emulator never listened");

            // Several of the launcher's checks pass while the parent lives: the emulator must still be there.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.True(await Listening(blob), "the emulator stopped while its parent was alive");

            parent.Kill();
            await parent.WaitForExitAsync();

            Assert.True(await WaitAsync(async () => !await Listening(blob), TimeSpan.FromSeconds(10)), "the emulator outlived its parent");
            Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(10)), "the launcher outlived its parent");
        }
        finally
        {
            if (!launcher.HasExited)
            {
                launcher.Kill(entireProcessTree: true);
            }

            if (!parent.HasExited)
            {
                parent.Kill();
            }

            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public async Task Launcher_RefusesAMissingParentId_WithAClearMessage()
    {
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add(AzuriteFixture.TetheredLauncher);
        start.ArgumentList.Add("--inMemoryPersistence");
        using var launcher = Process.Start(start)!;
        var error = await launcher.StandardError.ReadToEndAsync();
        await launcher.WaitForExitAsync();

        Assert.Equal(64, launcher.ExitCode);
        Assert.Contains("parent's process id, not '--inMemoryPersistence'", error);
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static async Task<bool> Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
