using System.Diagnostics;
using System.Runtime.InteropServices;

namespace KDirective.Cli.Native;

/// <summary>
/// Runs a command in the full build of <c>kdirective</c>, published beside the native one in <c>lib/</c>: the same
/// arguments, the same standard input, output and error, and its exit code. Ctrl-C reaches both processes (they
/// share the terminal's process group), so this one ignores it and lets the full build stop; a SIGTERM sent to
/// this process alone is passed on to the full build.
/// </summary>
internal static partial class FullBuild
{
    private const int SigTerm = 15;

    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "lib", OperatingSystem.IsWindows() ? "kdirective.exe" : "kdirective");

    public static async Task<int> RunAsync(string[] args)
    {
        if (!File.Exists(Path))
        {
            throw new IOException($"'{args[0]}' runs in the full build, and {Path} is missing (scripts/setup.sh publishes both builds)");
        }

        var start = new ProcessStartInfo(Path) { UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start) ?? throw new IOException($"{Path}: could not be started");
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (!OperatingSystem.IsWindows())
            {
                _ = Kill(child.Id, SigTerm);
            }
        });
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
