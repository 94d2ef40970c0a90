using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KDirective.Configuration;

/// <summary>
/// App Service resolves <c>@Microsoft.KeyVault(...)</c> app settings before the app starts; when the secret is
/// missing or the identity may not read it, the reference text itself reaches the app. Taken as a value (a SendGrid
/// key, say), it fails later and quietly, so start-up refuses it instead, naming the setting (never its value).
/// </summary>
public static class KeyVaultReferences
{
    public const string Marker = "@Microsoft.KeyVault(";

    /// <summary>Configuration keys whose value is still an unresolved reference, as app-setting names (<c>A__B</c>).</summary>
    public static IReadOnlyList<string> Unresolved(IConfiguration configuration) => configuration.AsEnumerable()
        .Where(e => e.Value is { } value && value.TrimStart().StartsWith(Marker, StringComparison.OrdinalIgnoreCase))
        .Select(e => e.Key.Replace(":", "__", StringComparison.Ordinal))
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Makes an unresolved reference a start-up error, with the options the host validates on start.</summary>
    public static IServiceCollection AddKeyVaultReferenceCheck(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<ResolvedSettings>, Check>();
        services.AddOptions<ResolvedSettings>().ValidateOnStart();
        return services;
    }

    /// <summary>Holds nothing: it exists so the check runs with the options validated on start.</summary>
    public sealed class ResolvedSettings;

    private sealed class Check(IConfiguration configuration) : IValidateOptions<ResolvedSettings>
    {
        public ValidateOptionsResult Validate(string? name, ResolvedSettings options)
        {
            var unresolved = Unresolved(configuration);
            return unresolved.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(unresolved.Select(key =>
                    $"App setting {key} holds an unresolved Key Vault reference: the secret is missing or the app's identity cannot read it. Add the secret (for SendGrid__ApiKey: azd env set-secret SENDGRID_API_KEY, then azd provision) and restart the app."));
        }
    }
}
