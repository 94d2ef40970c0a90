using KDirective.Dashboard.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KDirective.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>The dashboard's services; the host adds its <see cref="IDashboardAuthenticator"/>.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, DateTimeOffset? fixedAsOf = null)
    {
        services.TryAddSingleton<IHostDiffSource, StoredHostDiff>();
        services.TryAddSingleton<StatusReport>();
        services.TryAddSingleton<AgencyPageBuilder>();
        services.TryAddSingleton<DashboardService>();
        services.TryAddSingleton<PageRenderer>();
        services.TryAddSingleton(sp => new DashboardClock(sp.GetRequiredService<TimeProvider>(), fixedAsOf));
        services.TryAddSingleton<DashboardEndpoints>();
        services.TryAddSingleton<Digest.DigestService>();
        return services;
    }
}
