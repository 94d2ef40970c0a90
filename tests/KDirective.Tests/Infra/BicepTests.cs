using System.Text.Json;

namespace KDirective.Tests.Infra;

public class BicepTests
{
    [Theory]
    [InlineData("main.bicep")]
    [InlineData("main.bicepparam")]
    public void Lint_HasNoWarningsOrErrors(string file)
    {
        var (code, output, error) = Bicep.Run("lint", file);

        Assert.True(code == 0, error);
        Assert.Equal(string.Empty, (output + error).Trim());
    }

    [Fact]
    public void Build_ProducesAnArmTemplateWithoutWarnings()
    {
        var (code, _, error) = Bicep.Run("build", "main.bicep", "--stdout");

        Assert.Equal(0, code);
        Assert.DoesNotContain("Warning", error);
        Assert.Equal("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", Bicep.Template.GetProperty("$schema").GetString());
    }

    [Fact]
    public void NoRegistryModules_AreUsed()
    {
        var sources = Directory.GetFiles(Path.Combine(Paths.Root, "infra"), "*.bicep*", SearchOption.AllDirectories);

        Assert.All(sources, f => Assert.DoesNotContain("br/public:", File.ReadAllText(f)));
    }
}
