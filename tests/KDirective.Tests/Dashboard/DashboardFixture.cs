using KDirective.Dashboard;
using KDirective.Dashboard.Web;
using KDirective.Tests.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Dashboard;

/// <summary>
/// Its own Azurite with the demo data, and the dashboard served on a free loopback port as <c>kdirective serve</c>
/// serves it (local operator), as of the demo's last simulated day.
/// </summary>
public sealed class DashboardFixture : AzuriteFixture, IAsyncLifetime
{
    /// <summary>2018-01-15 09:00 in New York, the day the demo's status table is printed for.</summary>
    public static readonly DateTimeOffset AsOf = new(2018, 1, 15, 14, 0, 0, TimeSpan.Zero);

    private WebApplication? _app;

    public string Url { get; private set; } = string.Empty;

    public HttpClient Http { get; } = new();

    public Browser Browser { get; } = new();

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _app = Build(0, services => services.AddSingleton<IDashboardAuthenticator, LocalOperatorAuthenticator>());
        await DemoData.LoadAsync(_app.Services);
        await _app.StartAsync();
        Url = DashboardServer.Url(_app);
        Http.BaseAddress = new Uri(Url);
        await Browser.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        Http.Dispose();
        await Browser.DisposeAsync();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>A dashboard over this fixture's storage with the given authenticator (and anything else) registered.</summary>
    public WebApplication Build(int port, Action<IServiceCollection> configure, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Email:Outbox"] = Path.Combine(Path.GetTempPath(), "kdirective-tests", "outbox"),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return DashboardServer.Build(port, services =>
        {
            services.AddSingleton(Connect());
            services.AddKDirective(configuration);
            services.AddDashboard(AsOf);
            configure(services);
        }, configuration);
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}
