using System.Security.Cryptography;
using KDirective.Dashboard.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace KDirective.Dashboard.Access;

/// <summary>
/// Entra ID sign-in, validated in the app. A token is read from <c>Authorization: Bearer</c> (API clients) or from the
/// session cookie that <c>/signin</c> sets (browsers), and checked for signature (the tenant's published keys),
/// issuer, audience (the client id) and lifetime. Identity headers such as <c>X-MS-CLIENT-PRINCIPAL</c> are never
/// read: on Flex Consumption no platform layer sets them, so any such header came from the caller.
/// </summary>
public sealed class EntraAuthenticator(
    IOptions<DashboardAuthOptions> options, IConfigurationManager<OpenIdConnectConfiguration> metadata, ViewerResolver resolver, TimeProvider time) : IDashboardAuthenticator
{
    public const string SessionCookie = "__Host-kd-session";
    public const string NonceCookie = "__Host-kd-nonce";

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task<DashboardViewer?> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken = default)
    {
        var token = BearerToken(context.Request) ?? context.Request.Cookies[SessionCookie];
        var result = token is null ? null : await ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        return result is { IsValid: true } ? await resolver.ResolveAsync(new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity), cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>Entra's authorize endpoint (OpenID Connect, id_token by form_post), with a nonce kept in a cookie.</summary>
    public string SignInUrl(HttpContext context, string returnPath)
    {
        var o = options.Value;
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Response.Cookies.Append(NonceCookie, nonce, CookieOptions(TimeSpan.FromMinutes(10), SameSiteMode.None));
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = o.ClientId,
            ["response_type"] = "id_token",
            ["response_mode"] = "form_post",
            ["scope"] = "openid profile",
            ["redirect_uri"] = $"https://{context.Request.Host}/signin",
            ["nonce"] = nonce,
            ["state"] = LocalPath(returnPath),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"{o.Instance.TrimEnd('/')}/{o.TenantId}/oauth2/v2.0/authorize", query);
    }

    public async Task<IResult?> CompleteSignInAsync(HttpContext context, CancellationToken cancellationToken = default)
    {
        if (!context.Request.HasFormContentType)
        {
            return Results.BadRequest();
        }

        var form = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var token = form["id_token"].ToString();
        var result = token.Length == 0 ? null : await ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        var nonce = context.Request.Cookies[NonceCookie];
        if (result is not { IsValid: true } || nonce is null || !result.Claims.TryGetValue("nonce", out var claimed) || claimed as string != nonce)
        {
            return Results.Unauthorized();
        }

        var expires = result.SecurityToken.ValidTo - time.GetUtcNow().UtcDateTime;
        context.Response.Cookies.Delete(NonceCookie, CookieOptions(TimeSpan.Zero, SameSiteMode.None));
        context.Response.Cookies.Append(SessionCookie, token, CookieOptions(expires, SameSiteMode.Lax));
        return Results.Redirect(LocalPath(form["state"].ToString()));
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var configuration = await metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        return await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer ?? o.Authority,
            ValidAudiences = [o.ClientId, $"api://{o.ClientId}"],
            IssuerSigningKeys = configuration.SigningKeys,
            ValidateLifetime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromMinutes(2),
            LifetimeValidator = (notBefore, expires, _, p) =>
                (notBefore is null || notBefore <= time.GetUtcNow().UtcDateTime + p.ClockSkew) && expires is { } e && e >= time.GetUtcNow().UtcDateTime - p.ClockSkew,
        }).ConfigureAwait(false);
    }

    private static string? BearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;

    /// <summary>Only a path on this site: never an absolute or protocol-relative URL (no open redirect).</summary>
    private static string LocalPath(string path) => path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/\\", StringComparison.Ordinal) ? path : "/";

    /// <summary>
    /// <c>__Host-</c> cookies: this host only, HTTPS, path /. The nonce must ride Entra's cross-site form_post (None);
    /// the session is Lax, so another site cannot make a browser send it with a POST.
    /// </summary>
    private static CookieOptions CookieOptions(TimeSpan lifetime, SameSiteMode sameSite) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = sameSite,
        Path = "/",
        MaxAge = lifetime,
    };
}
