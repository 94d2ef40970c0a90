using KDirective.Dashboard.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace KDirective.Dashboard.Access;

public static class AccessServiceCollectionExtensions
{
    /// <summary>The dashboard behind Entra ID sign-in: the Functions app's access control.</summary>
    public static IServiceCollection AddDashboardEntraSignIn(this IServiceCollection services)
    {
        services.AddOptions<DashboardAuthOptions>().BindConfiguration(DashboardAuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(sp => new ConfigurationManager<OpenIdConnectConfiguration>(
            $"{sp.GetRequiredService<IOptions<DashboardAuthOptions>>().Value.Authority}/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = true }));
        services.TryAddSingleton<ViewerResolver>();
        services.TryAddSingleton<IDashboardAuthenticator, EntraAuthenticator>();
        return services.AddDashboard();
    }
}
