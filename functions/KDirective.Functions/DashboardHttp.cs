using KDirective.Dashboard.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace KDirective.Functions;

/// <summary>
/// The dashboard and its API: every path goes to the library's <see cref="DashboardEndpoints"/>, which signs in with
/// Entra ID and decides access in code (the function level is anonymous on purpose: no function keys for people).
/// </summary>
public sealed class DashboardHttp(DashboardEndpoints endpoints)
{
    [Function(nameof(DashboardHttp))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", Route = "{*path}")] HttpRequest request)
    {
        await endpoints.HandleAsync(request.HttpContext);
        return new EmptyResult();
    }
}
