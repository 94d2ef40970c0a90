using KDirective.Cli;
using KDirective.Cli.Native;

// The native build: the commands that need no storage run here, every other one in the full build.
return await CliShell.RunAsync(args, Console.Out, Console.Error, _ => FullBuild.RunAsync(args));
