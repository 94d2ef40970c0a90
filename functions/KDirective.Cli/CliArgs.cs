namespace KDirective.Cli;

/// <summary>A small, strict argument list: flags, options with one value, and positionals.</summary>
internal sealed class CliArgs
{
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    private CliArgs(List<string> positionals) => Positionals = positionals;

    public List<string> Positionals { get; }

    /// <summary>Parses <paramref name="args"/>; names in <paramref name="valued"/> take the next argument as their value.</summary>
    public static CliArgs Parse(IEnumerable<string> args, IReadOnlySet<string> flags, IReadOnlySet<string> valued)
    {
        var result = new CliArgs([]);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (flags.Contains(arg))
            {
                result._flags.Add(arg);
            }
            else if (valued.Contains(arg))
            {
                result._options[arg] = e.MoveNext() ? e.Current : throw new UsageException($"{arg} needs a value");
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unknown option {arg}");
            }
            else
            {
                result.Positionals.Add(arg);
            }
        }

        return result;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Get(string option) => _options.GetValueOrDefault(option);
}

internal sealed class UsageException(string message) : Exception(message);

/// <summary>A command that ran and could not do its work (a benchmark child whose run is not a measurement): printed as one line, without the usage.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
