using System.Text.Json;
using KDirective.Tests.Infra;

namespace KDirective.Tests.Boot;

/// <summary>
/// The app settings the compiled Bicep gives the site, as concrete values: literals as they are, a plain
/// <c>[parameters('x')]</c> as main.bicep's default for x, and every other expression (endpoints, the identity's
/// client id, the Key Vault reference) from <paramref name="standIns"/>, which play the part Azure plays. A setting
/// with neither fails the test, naming it, so a new setting cannot slip past the boot test.
/// </summary>
internal static class CompiledSettings
{
    public static Dictionary<string, string> Resolve(IReadOnlyDictionary<string, string> standIns)
    {
        var defaults = Bicep.Template.GetProperty("parameters");
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, raw) in AppSettings.Literal())
        {
            resolved[name] = Value(name, JsonDocument.Parse(JsonSerializer.Serialize(raw)).RootElement, defaults, standIns);
        }

        foreach (var entry in Bicep.ModuleParameters("functionapp").GetProperty("settings").GetProperty("value").EnumerateObject())
        {
            var name = entry.Name.Replace(":", "__", StringComparison.Ordinal);
            resolved[name] = Value(name, entry.Value, defaults, standIns);
        }

        return resolved;
    }

    private static string Value(string name, JsonElement value, JsonElement defaults, IReadOnlyDictionary<string, string> standIns)
    {
        if (standIns.TryGetValue(name, out var standIn))
        {
            return standIn;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        if (!text.StartsWith('['))
        {
            return value.ValueKind == JsonValueKind.True ? "True" : value.ValueKind == JsonValueKind.False ? "False" : text;
        }

        if (text is ['[', 'p', 'a', 'r', 'a', 'm', 'e', 't', 'e', 'r', 's', '(', '\'', .. var rest] && rest.EndsWith("')]", StringComparison.Ordinal)
            && defaults.GetProperty(rest[..^3]).TryGetProperty("defaultValue", out var fallback))
        {
            return fallback.ValueKind == JsonValueKind.String ? fallback.GetString()! : fallback.GetRawText();
        }

        Assert.Fail($"App setting {name} is the expression {text}: give the boot test a stand-in value for it");
        return string.Empty;
    }
}
