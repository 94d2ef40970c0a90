using Microsoft.AspNetCore.Http;

namespace KDirective.Dashboard.Web;

/// <summary>
/// Who is asking. In Azure, Entra ID sign-in decides; under <c>kdirective serve</c> (loopback only) everyone is the
/// local operator. The one place the two hosts differ.
/// </summary>
public interface IDashboardAuthenticator
{
    /// <summary>The viewer, or null when nobody is signed in.</summary>
    Task<DashboardViewer?> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken = default);

    /// <summary>Where a page sends an anonymous visitor to sign in, coming back to <paramref name="returnPath"/>.</summary>
    string SignInUrl(HttpContext context, string returnPath);

    /// <summary>Handles the sign-in callback (a POST to <c>/signin</c>), or returns null when this host has none.</summary>
    Task<IResult?> CompleteSignInAsync(HttpContext context, CancellationToken cancellationToken = default);
}

/// <summary><c>kdirective serve</c>: it listens on 127.0.0.1 only, so whoever reaches it already has the storage credentials.</summary>
public sealed class LocalOperatorAuthenticator : IDashboardAuthenticator
{
    public Task<DashboardViewer?> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult<DashboardViewer?>(DashboardViewer.LocalOperator);

    public string SignInUrl(HttpContext context, string returnPath) => returnPath;

    public Task<IResult?> CompleteSignInAsync(HttpContext context, CancellationToken cancellationToken = default) => Task.FromResult<IResult?>(null);
}
