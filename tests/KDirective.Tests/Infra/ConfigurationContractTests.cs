using System.Reflection;
using System.Text.Json;
using KDirective.Directive;
using KDirective.Email;
using KDirective.Reminders;
using KDirective.Storage;

namespace KDirective.Tests.Infra;

/// <summary>Every configuration key the app reads is set by the Bicep: the code and the infrastructure cannot drift apart.</summary>
public class ConfigurationContractTests
{
    /// <summary>The option sections the library binds, with their public settable properties.</summary>
    public static IEnumerable<string> OptionKeys() =>
        new (string Section, Type Type)[]
        {
            (DirectiveOptions.Section, typeof(DirectiveOptions)),
            (ReminderOptions.Section, typeof(ReminderOptions)),
            (EmailOptions.Section, typeof(EmailOptions)),
            (SendGridOptions.Section, typeof(SendGridOptions)),
            (KDirective.Digest.DigestOptions.Section, typeof(KDirective.Digest.DigestOptions)),
            (KDirective.Dashboard.Access.DashboardAuthOptions.Section, typeof(KDirective.Dashboard.Access.DashboardAuthOptions)),
        }.SelectMany(o => o.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod?.IsPublic == true)
            .Select(p => $"{o.Section}__{p.Name}"));

    /// <summary>The connections and %settings% the generated function metadata refers to.</summary>
    public static IEnumerable<string> FunctionMetadataKeys()
    {
        var metadata = Path.Combine(Paths.Root, "functions", "KDirective.Functions", "bin", "Debug", "net10.0", "functions.metadata");
        using var json = JsonDocument.Parse(File.ReadAllText(metadata));
        foreach (var binding in json.RootElement.EnumerateArray().SelectMany(f => f.GetProperty("bindings").EnumerateArray()))
        {
            if (binding.TryGetProperty("connection", out var connection))
            {
                foreach (var suffix in new[] { "blobServiceUri", "queueServiceUri", "tableServiceUri", "credential", "clientId" })
                {
                    yield return $"{connection.GetString()}__{suffix}";
                }
            }

            if (binding.TryGetProperty("schedule", out var schedule) && schedule.GetString() is ['%', .. var name, '%'])
            {
                yield return name.Replace(":", "__", StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void EveryOptionTheCodeReads_IsSetByTheBicep()
    {
        var set = AppSettings.Names();

        Assert.All(OptionKeys(), key => Assert.Contains(key, set));
    }

    [Fact]
    public void EveryConnectionAndTimerSetting_IsSetByTheBicep()
    {
        var set = AppSettings.Names();
        var keys = FunctionMetadataKeys().ToArray();

        Assert.Contains("InventoryStorage__blobServiceUri", keys);
        Assert.Contains("Reminders__Schedule", keys);
        Assert.All(keys, key => Assert.Contains(key, set));
        Assert.All(new[] { "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId" }, key => Assert.Contains(key, set));
    }

    [Fact]
    public void TheBicepSetsNothingTheCodeDoesNotRead()
    {
        var known = OptionKeys().Concat(FunctionMetadataKeys()).ToHashSet(StringComparer.Ordinal);
        var platform = new[] { "AzureWebJobsStorage__", "APPLICATIONINSIGHTS_" };

        var unknown = AppSettings.Names().Where(n => !known.Contains(n) && !platform.Any(p => n.StartsWith(p, StringComparison.Ordinal)));

        Assert.Empty(unknown);
    }
}
