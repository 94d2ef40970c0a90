using System.Diagnostics;

namespace KDirective.Tests.Infra;

/// <summary>
/// Runs an azd hook script (the posix form) with stand-ins for az and azd on PATH: each records its arguments in
/// calls.log; az answers the key query with the Nth line of az-answers (empty once the lines run out).
/// </summary>
internal sealed class HookScripts : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("kdirective-hooks-").FullName;

    public HookScripts(params string[] azAnswers)
    {
        File.WriteAllLines(Path.Combine(_bin, "az-answers"), azAnswers);
        Stub("az", """
            echo "az $*" >> "$(dirname "$0")/calls.log"
            n=$(grep -c '^az ' "$(dirname "$0")/calls.log")
            sed -n "${n}p" "$(dirname "$0")/az-answers"
            """);
        Stub("azd", """
            echo "azd $*" >> "$(dirname "$0")/calls.log"
            """);
    }

    public string[] Calls => File.Exists(Path.Combine(_bin, "calls.log")) ? File.ReadAllLines(Path.Combine(_bin, "calls.log")) : [];

    public (int Code, string Output, string Error) Run(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Paths.Root };
        start.ArgumentList.Add(Path.Combine(Paths.Root, "scripts", script));
        start.Environment.Clear();
        start.Environment["PATH"] = $"{_bin}:/usr/bin:/bin";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(30_000), $"{script} did not finish");
        return (process.ExitCode, output.Result, error.Result);
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    private void Stub(string name, string body)
    {
        var path = Path.Combine(_bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
