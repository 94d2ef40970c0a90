using System.Text.Json;

namespace KDirective.Tests.Infra;

/// <summary>
/// The function app's settings as the compiled template sets them: the literal entries of the function app module
/// (connections and platform settings), plus the keys main.bicep passes in its <c>settings</c> object, each of
/// which the module turns into <c>Section__Key</c>.
/// </summary>
internal static class AppSettings
{
    public static IReadOnlyDictionary<string, string> Literal()
    {
        var variables = Bicep.ModuleTemplate("functionapp").GetProperty("variables");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "connectionSettings", "platformSettings" })
        {
            foreach (var entry in variables.GetProperty(name).EnumerateArray())
            {
                settings.Add(entry.GetProperty("name").GetString()!, entry.GetProperty("value").ToString());
            }
        }

        return settings;
    }

    public static IReadOnlySet<string> Names()
    {
        var names = Literal().Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var key in Bicep.ModuleParameters("functionapp").GetProperty("settings").GetProperty("value").EnumerateObject())
        {
            Assert.True(names.Add(key.Name.Replace(":", "__", StringComparison.Ordinal)), $"{key.Name} is set twice");
        }

        Assert.Contains("replace(lambdaVariables('entry').key, ':', '__')", Bicep.ModuleTemplate("functionapp").GetProperty("variables").GetProperty("configurationSettings").GetRawText());
        return names;
    }
}
