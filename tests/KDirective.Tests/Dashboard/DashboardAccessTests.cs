using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KDirective.Agencies;
using KDirective.Dashboard.Access;
using KDirective.Dashboard.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace KDirective.Tests.Dashboard;

/// <summary>
/// Access control as the Functions app wires it (Entra sign-in validated in the app), over the demo data: the operator
/// sees every agency, an agency's uploader group only its own, anyone else 403, anonymous 401 or a sign-in redirect.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardAccessTests(DashboardFixture dashboard) : IAsyncLifetime
{
    private const string DocGroup = "0d0c0000-0000-0000-0000-00000000d0c0";
    private readonly EntraTokens _entra = new();
    private WebApplication? _app;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _app = dashboard.Build(0, services =>
        {
            services.AddSingleton(_entra.Metadata());
            services.AddDashboardEntraSignIn();
        }, EntraTokens.Settings());
        var registry = _app.Services.GetRequiredService<AgencyRegistry>();
        var doc = (await registry.FindAsync("doc"))!;
        await registry.UpsertAsync([doc with { UploaderGroupId = DocGroup }]);
        await _app.StartAsync();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(DashboardServer.Url(_app)) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Anonymous_GetsASignInRedirectOnPagesAnd401OnTheApi()
    {
        using var page = await _http.GetAsync("/agencies/doc");
        using var api = await _http.GetAsync("/api/status");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith($"https://login.microsoftonline.com/{EntraTokens.TenantId}/oauth2/v2.0/authorize?", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains($"client_id={EntraTokens.ClientId}", page.Headers.Location.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task ForgedClientPrincipalHeaders_AreNeverTrusted()
    {
        var principal = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            """{"auth_typ":"aad","claims":[{"typ":"roles","val":"Dashboard.Operator"}],"name_typ":"name","role_typ":"roles"}"""));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "operator@dhs.example.gov");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-ID", Guid.NewGuid().ToString());

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("role")]
    [InlineData("group")]
    public async Task Operator_SeesEveryAgency(string by)
    {
        var claim = by == "role" ? EntraTokens.Role("Dashboard.Operator") : EntraTokens.Group("99999999-0000-0000-0000-000000000001");

        var rows = await StatusAsync(_entra.Token([claim]));

        Assert.Equal(13, rows.Length);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/agencies/treas", _entra.Token([claim]))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/agencies/no-such-agency", _entra.Token([claim]))).StatusCode);
    }

    [Fact]
    public async Task AgencyUploader_SeesOnlyItsOwnAgency()
    {
        var token = _entra.Token([EntraTokens.Group(DocGroup), EntraTokens.Role("Something.Else")]);

        var rows = await StatusAsync(token);

        Assert.Equal(new[] { "doc" }, rows.Select(r => r.GetProperty("agency").GetString()!).ToArray());
        foreach (var own in new[] { "/", "/agencies/doc", "/api/agencies/doc", "/api/agencies/doc/findings.csv", "/api/status.csv" })
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(own, token)).StatusCode);
        }

        // Another agency, known or not, is 403: the answer never tells which agencies exist.
        foreach (var other in new[] { "/agencies/treas", "/api/agencies/treas", "/api/agencies/treas/findings.csv", "/api/agencies/no-such-agency" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(other, token)).StatusCode);
        }

        var csv = await (await GetAsync("/api/status.csv", token)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("treas", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedInStranger_Gets403()
    {
        var token = _entra.Token([EntraTokens.Group(Guid.NewGuid().ToString())]);

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api/status", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/", token)).StatusCode);
    }

    [Fact]
    public async Task TokensThatFailValidation_AreAnonymous()
    {
        var operatorRole = EntraTokens.Role("Dashboard.Operator");
        var otherKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" };
        var tokens = new[]
        {
            _entra.Token([operatorRole], audience: "api://someone-else"),
            _entra.Token([operatorRole], expires: DateTime.UtcNow.AddHours(-2)),
            _entra.Token([operatorRole], key: otherKey),
            _entra.Token([operatorRole], issuer: "https://login.microsoftonline.com/another-tenant/v2.0"),
            "not-a-token",
        };

        foreach (var token in tokens)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api/status", token)).StatusCode);
        }
    }

    [Fact]
    public async Task SignInCallback_SetsTheSessionOnlyForAValidTokenWithTheSameNonce()
    {
        using var start = await _http.GetAsync("/agencies/doc?page=2");
        var nonceCookie = start.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(EntraAuthenticator.NonceCookie, StringComparison.Ordinal)).Split(';')[0];
        var nonce = nonceCookie.Split('=')[1];
        var token = _entra.Token([EntraTokens.Group(DocGroup), new Claim("nonce", nonce)]);
        var replayed = _entra.Token([EntraTokens.Group(DocGroup), new Claim("nonce", "another")]);

        using var ok = await PostSignInAsync(token, nonceCookie, "/agencies/doc?page=2");
        using var wrongNonce = await PostSignInAsync(replayed, nonceCookie, "/");
        using var openRedirect = await PostSignInAsync(token, nonceCookie, "//evil.example.com/");

        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal("/agencies/doc?page=2", ok.Headers.Location!.ToString());
        var session = ok.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(EntraAuthenticator.SessionCookie, StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongNonce.StatusCode);
        Assert.Equal("/", openRedirect.Headers.Location!.ToString());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/agencies/doc");
        request.Headers.Add("Cookie", session.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(request)).StatusCode);
    }

    private async Task<HttpResponseMessage> PostSignInAsync(string token, string nonceCookie, string state)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["id_token"] = token, ["state"] = state }),
        };
        request.Headers.Add("Cookie", nonceCookie);
        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    private async Task<JsonElement[]> StatusAsync(string token)
    {
        using var response = await GetAsync("/api/status", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone().EnumerateArray().ToArray();
    }
}
