using System.Text;
using KDirective.Inventory;

namespace KDirective.Tests.Inventory;

/// <summary>
/// Property test over mutated sample files (fixed seed): whatever is done to a file, reading it never throws, ends
/// accepted or rejected with a reason, and every Kaspersky row still in it is matched or reported.
/// </summary>
public class FuzzTests
{
    private const int Mutations = 3000;
    private static readonly string[] Obfuscations = ["\u200B", "\u00AD", "\u2060", "\uFE0F"];

    [Fact]
    public void Read_MutatedSamples_NeverCrashAndNeverHideAKasperskyRow()
    {
        var samples = Directory.GetFiles(Path.Combine(Paths.Samples, "inventories"), "*.csv")
            .Where(f => !f.Contains("utf16", StringComparison.Ordinal))
            .Select(Sample.Load)
            .ToArray();
        var random = new Random(20170913);
        var failures = new List<string>();
        for (var i = 0; i < Mutations && failures.Count < 3; i++)
        {
            var sample = samples[random.Next(samples.Length)];
            var lines = sample.Lines.Select((text, n) => new Line(text, sample.Matched.TryGetValue(n + 1, out var row) ? row : null)).ToList();
            var steps = new List<string>();
            for (var m = random.Next(1, 5); m > 0; m--)
            {
                steps.Add(Mutate(lines, random));
            }

            var bytes = Encode(lines, random, steps);
            var report = Read.Bytes(bytes);
            if (!report.Accepted)
            {
                Assert.False(string.IsNullOrWhiteSpace(report.Error), $"rejected without a reason: {string.Join(", ", steps)}");
                continue;
            }

            var reported = report.Matches.Select(m => m.Line).Concat(report.PossibleFindings.Select(p => p.Line)).ToHashSet();
            for (var n = 0; n < lines.Count; n++)
            {
                if (lines[n].Row is { } row && StillNamesIt(lines[n].Text, sample.Delimiter, row) && !IsReported(n + 1, reported, lines))
                {
                    failures.Add($"mutation {i} of {Path.GetFileName(sample.Path)} ({string.Join(", ", steps)}): line {n + 1} '{lines[n].Text}' neither matched nor reported");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Matched or reported at its line, or inside a record joined from a quote opened a few lines above.</summary>
    private static bool IsReported(long line, HashSet<long> reported, List<Line> lines) =>
        reported.Contains(line)
        || reported.Any(start => start < line && line - start < QuoteJoiner.MaxLines && lines[(int)start - 1].Text.Contains('"'));

    private static string Mutate(List<Line> lines, Random random)
    {
        var at = random.Next(lines.Count);
        var text = lines[at].Text;
        var position = random.Next(text.Length + 1);
        switch (random.Next(9))
        {
            case 0:
                lines[at] = lines[at] with { Text = text.Insert(position, "\"") };
                return $"quote at {at + 1}:{position}";
            case 1 when text.Length > 0:
                lines[at] = lines[at] with { Text = text.Remove(Math.Min(position, text.Length - 1), 1) };
                return $"delete at {at + 1}:{position}";
            case 2:
                lines[at] = lines[at] with { Text = text.Insert(position, random.Next(3) switch { 0 => "\u001B", 1 => "\u0007", _ => "\u007F" }) };
                return $"control at {at + 1}:{position}";
            case 3 when text.Contains("Kaspersky", StringComparison.Ordinal):
                var variant = random.Next(3) switch
                {
                    0 => "Kasp" + Obfuscations[random.Next(Obfuscations.Length)] + "ersky",
                    1 => "K\u0430spersky",
                    _ => "Ｋａｓｐｅｒｓｋｙ",
                };
                lines[at] = lines[at] with { Text = text.Replace("Kaspersky", variant, StringComparison.Ordinal) };
                return $"look-alike at {at + 1}";
            case 4:
                lines.InsertRange(at, Enumerable.Repeat(new Line(string.Empty, null), random.Next(1, 50)));
                return $"blank lines at {at + 1}";
            case 5:
                lines.Insert(random.Next(lines.Count + 1), lines[at]);
                return $"copy of {at + 1}";
            case 6:
                lines[at] = lines[at] with { Text = text.Insert(position, ",") };
                return $"separator at {at + 1}:{position}";
            case 7 when lines.Count > 2:
                lines.RemoveRange(at + 1, lines.Count - at - 1);
                lines[at] = new Line(text[..position], null);
                return $"truncated at {at + 1}:{position}";
            default:
                lines[at] = lines[at] with { Text = text.Insert(position, " \t") };
                return $"spaces at {at + 1}:{position}";
        }
    }

    private static byte[] Encode(List<Line> lines, Random random, List<string> steps)
    {
        var text = string.Join("\n", lines.Select(l => l.Text)) + "\n";
        switch (random.Next(10))
        {
            case 0:
                steps.Add("utf-16");
                return [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)];
            case 1:
                steps.Add("bom");
                return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];
            case 2:
                // A stray Windows-1252 byte at the start of a row that has only ASCII (so decoding it alone garbles nothing).
                var ascii = lines.Select((l, n) => (l, n)).Where(x => x.n > 0 && Ascii.IsValid(x.l.Text)).Select(x => x.n).ToArray();
                if (ascii.Length == 0)
                {
                    goto default;
                }

                var row = ascii[random.Next(ascii.Length)];
                steps.Add($"windows-1252 byte at {row + 1}");
                var before = string.Join("\n", lines.Take(row).Select(l => l.Text)) + "\n";
                return [.. Encoding.UTF8.GetBytes(before), 0xE9, .. Encoding.UTF8.GetBytes(text[before.Length..])];
            default:
                return Encoding.UTF8.GetBytes(text);
        }
    }

    /// <summary>Whether the line, look-alikes undone, still has the row's publisher and product name as fields.</summary>
    private static bool StillNamesIt(string text, char delimiter, (string? Publisher, string Name) row)
    {
        var fields = Plain(text).Split(delimiter).Select(field => field.Trim().Trim('"')).ToArray();
        return fields.Contains(row.Name) && (row.Publisher is null || fields.Contains(row.Publisher));
    }

    /// <summary>The line with the look-alikes this test inserts undone, to tell whether it still names Kaspersky.</summary>
    private static string Plain(string text) =>
        Obfuscations.Aggregate(text.Normalize(NormalizationForm.FormKC), (t, o) => t.Replace(o, string.Empty, StringComparison.Ordinal))
            .Replace('\u0430', 'a');

    /// <summary>A line of the file and, for a row the original matched, its publisher and product name as written.</summary>
    private sealed record Line(string Text, (string? Publisher, string Name)? Row);

    private sealed record Sample(string Path, string[] Lines, char Delimiter, Dictionary<long, (string? Publisher, string Name)> Matched)
    {
        public static Sample Load(string path)
        {
            var report = new InventoryReader().ReadAsync(new FileInventorySource(path), keepMatches: true).GetAwaiter().GetResult();
            var lines = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
            return new Sample(path, lines, report.Delimiter![0], report.Matches.ToDictionary(m => m.Line, m => (m.Publisher, m.Name)));
        }
    }
}
