using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace KDirective.Tests.Dashboard;

/// <summary>
/// A stand-in for the Entra tenant: its own RSA signing key and issuer, published to the app as the tenant's OpenID
/// configuration would be. Tokens it signs are real JWTs that the app validates with the same code as in Azure.
/// </summary>
internal sealed class EntraTokens
{
    public const string TenantId = "11111111-2222-3333-4444-555555555555";
    public const string ClientId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    public const string Issuer = $"https://login.microsoftonline.com/{TenantId}/v2.0";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key" };

    public IConfigurationManager<OpenIdConnectConfiguration> Metadata()
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
        configuration.SigningKeys.Add(_key);
        return new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
    }

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Dashboard:TenantId"] = TenantId,
        ["Dashboard:ClientId"] = ClientId,
        ["Dashboard:OperatorRole"] = "Dashboard.Operator",
        ["Dashboard:OperatorGroupId"] = "99999999-0000-0000-0000-000000000001",
    };

    public string Token(IEnumerable<Claim> claims, string audience = ClientId, DateTime? expires = null, SecurityKey? key = null, string issuer = Issuer)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims.Append(new Claim("preferred_username", "someone@agency.example.gov"))),
            NotBefore = (expires ?? now.AddHours(1)) < now ? now.AddHours(-3) : now.AddMinutes(-1),
            IssuedAt = (expires ?? now.AddHours(1)) < now ? now.AddHours(-3) : now.AddMinutes(-1),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    public static Claim Role(string role) => new("roles", role);

    public static Claim Group(string group) => new("groups", group);
}
