using Microsoft.AspNetCore.Http;

namespace KDirective.Dashboard.Web;

/// <summary>USWDS's CSS, fonts and images and the dashboard's own CSS, embedded in the library and served by the app.</summary>
public static class DashboardAssets
{
    private static readonly System.Reflection.Assembly Assembly = typeof(DashboardAssets).Assembly;
    private static readonly HashSet<string> Names = Assembly.GetManifestResourceNames().Where(n => n.StartsWith("assets/", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

    public static bool Exists(string path) => Names.Contains(path);

    /// <summary><paramref name="path"/> is the request path without its leading slash, e.g. <c>assets/dashboard.css</c>.</summary>
    public static IResult Serve(string path, HttpResponse response)
    {
        if (!Names.Contains(path))
        {
            return Results.NotFound();
        }

        // Assets never hold agency data, so unlike pages they may be cached.
        response.Headers.CacheControl = "public, max-age=86400";
        return Results.Stream(Assembly.GetManifestResourceStream(path)!, ContentType(path));
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".woff2" => "font/woff2",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
