using KDirective.Detection;

namespace KDirective.Tests.Detection;

public class CorpusTests
{
    public static TheoryData<string, string, string, string> SharedCases() => Load("detection-cases.tsv");

    public static TheoryData<string, string, string, string> OwnCases() => Load("own-cases.tsv");

    [Theory]
    [MemberData(nameof(SharedCases))]
    public void SharedCorpusCase_IsClassifiedAsLabelled(string label, string publisher, string product, string note) =>
        AssertClassified(label, publisher, product, note);

    [Theory]
    [MemberData(nameof(OwnCases))]
    public void OwnCase_IsClassifiedAsLabelled(string label, string publisher, string product, string note) =>
        AssertClassified(label, publisher, product, note);

    [Fact]
    public void SharedCorpus_HasBothKindsOfCase()
    {
        var cases = SharedCases();
        Assert.True(cases.Count >= 40, $"only {cases.Count} cases loaded");
        Assert.Contains(cases, c => (string)c[0] == "K");
        Assert.Contains(cases, c => (string)c[0] == "N");
    }

    private static void AssertClassified(string label, string publisher, string product, string note)
    {
        var match = ProductMatcher.Default.Match(publisher, product);
        if (label == "K")
        {
            Assert.True(match is not null, $"expected a Kaspersky match for '{publisher}' / '{product}' ({note})");
            Assert.StartsWith("Kaspersky", match);
        }
        else
        {
            Assert.True(match is null, $"expected no match for '{publisher}' / '{product}' ({note}), got '{match}'");
        }
    }

    private static TheoryData<string, string, string, string> Load(string file)
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Detection", file)).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = line.Split('\t');
            data.Add(cells[0], cells[1], cells[2], cells.Length > 4 ? cells[4] : string.Empty);
        }

        return data;
    }
}
