using PuppeteerSharp;

namespace KDirective.Tests.Dashboard;

/// <summary>
/// Debian's Chromium (installed by scripts/setup.sh), driven through its executable path: Puppeteer's own browser
/// download does not work here. <c>--no-sandbox</c> because CI runs as root. Launched by the first page opened, so
/// the dashboard's HTTP-only tests, which share its fixture, do not pay for a browser (mutation testing runs them
/// once per mutant).
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ExecutableVariable = "KDIRECTIVE_CHROMIUM";

    private readonly SemaphoreSlim _launch = new(1, 1);
    private IBrowser? _browser;

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } path ? path
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
          ?? throw new InvalidOperationException($"Chromium is missing: run 'bash scripts/setup.sh' (apt-get install chromium) or set {ExecutableVariable}.");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser.Dispose();
        }

        _launch.Dispose();
    }

    public async Task<IPage> OpenAsync(string url, int width = 1280, int height = 900, bool bypassCsp = false)
    {
        var page = await (await LaunchedAsync()).NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        if (bypassCsp)
        {
            await page.SetBypassCSPAsync(true);
        }

        var response = await page.GoToAsync(url, WaitUntilNavigation.Load);
        Assert.NotNull(response);
        return page;
    }

    private async Task<IBrowser> LaunchedAsync()
    {
        await _launch.WaitAsync();
        try
        {
            return _browser ??= await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--font-render-hinting=none"],
            });
        }
        finally
        {
            _launch.Release();
        }
    }
}
