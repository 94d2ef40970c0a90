namespace KDirective.Tests.Infra;

/// <summary>The compiled template is reused only while every file it was compiled from is unchanged.</summary>
public sealed class BicepCacheTests
{
    [Fact]
    public void InputsHash_ChangesWithAnyInfraFile_AndWithTheCli()
    {
        var dir = Directory.CreateTempSubdirectory("bicep-cache-").FullName;
        try
        {
            var infra = Directory.CreateDirectory(Path.Combine(dir, "infra")).FullName;
            Directory.CreateDirectory(Path.Combine(infra, "modules"));
            var cli = Path.Combine(dir, "bicep");
            File.WriteAllText(cli, "cli");
            File.WriteAllText(Path.Combine(infra, "main.bicep"), "param a string");
            File.WriteAllText(Path.Combine(infra, "modules", "m.bicep"), "param b string");
            var first = Bicep.InputsHash(infra, cli);

            Assert.Equal(first, Bicep.InputsHash(infra, cli));

            File.WriteAllText(Path.Combine(infra, "modules", "m.bicep"), "param b int");
            var moduleChanged = Bicep.InputsHash(infra, cli);
            Assert.NotEqual(first, moduleChanged);

            File.WriteAllText(Path.Combine(infra, "alerts.kql"), "requests");
            var fileAdded = Bicep.InputsHash(infra, cli);
            Assert.NotEqual(moduleChanged, fileAdded);

            File.WriteAllText(cli, "another cli");
            Assert.NotEqual(fileAdded, Bicep.InputsHash(infra, cli));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
