using System.Text;
using KDirective.Dashboard.Pages;
using KDirective.Directive;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace KDirective.Dashboard.Web;

/// <summary>
/// Every dashboard route, for both hosts: the Functions app's HTTP trigger and <c>kdirective serve</c> hand each
/// request here. Access is decided before any data is read: anonymous gets a sign-in redirect (pages) or 401 (API);
/// a viewer who may not see an agency gets 403, whether or not the agency exists.
/// </summary>
public sealed class DashboardEndpoints(
    DashboardService dashboard, IDashboardAuthenticator authenticator, PageRenderer renderer, DashboardClock clock, IOptions<DirectiveOptions> directive)
{
    public async Task HandleAsync(HttpContext context)
    {
        SecurityHeaders.Apply(context.Response);
        var result = await RouteAsync(context, context.RequestAborted);
        await result.ExecuteAsync(context);
    }

    private async Task<IResult> RouteAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var path = (context.Request.Path.Value ?? "/").Trim('/');
        var segments = path.Length == 0 ? [] : path.Split('/');
        var isApi = segments is ["api", ..];
        if (segments is ["assets", ..])
        {
            return DashboardAssets.Serve(path, context.Response);
        }

        if (segments is ["signin"] && HttpMethods.IsPost(context.Request.Method))
        {
            return await authenticator.CompleteSignInAsync(context, cancellationToken) ?? Results.NotFound();
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
        }

        var viewer = await authenticator.AuthenticateAsync(context, cancellationToken);
        if (viewer is null)
        {
            if (isApi)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Unauthorized();
            }

            return Results.Redirect(authenticator.SignInUrl(context, context.Request.Path + context.Request.QueryString));
        }

        if (viewer.SeesNothing)
        {
            return await ForbiddenAsync(viewer, isApi);
        }

        var asOf = clock.Now();
        return segments switch
        {
            [] => await OverviewAsync(context, viewer, asOf, cancellationToken),
            ["agencies", var id] => await AgencyAsync(viewer, id, asOf, a => AgencyPageAsync(viewer, a, asOf, context, cancellationToken), isApi, cancellationToken),
            ["api", "status"] => Results.Text(StatusReport.ToJson(await dashboard.StatusAsync(viewer, asOf, cancellationToken)), "application/json; charset=utf-8"),
            ["api", "status.csv"] => StatusCsvResult(await dashboard.StatusAsync(viewer, asOf, cancellationToken)),
            ["api", "agencies", var id] => await AgencyAsync(viewer, id, asOf, async a => Json(await dashboard.AgencyDocumentAsync(a, asOf, cancellationToken)), isApi, cancellationToken),
            ["api", "agencies", var id, "findings.csv"] => await AgencyAsync(viewer, id, asOf, async a => FindingsCsvResult(id, await dashboard.FindingsAsync(a, cancellationToken)), isApi, cancellationToken),
            ["api", "agencies", var id, "results", var submission] => await AgencyAsync(viewer, id, asOf, async a => await dashboard.ResultAsync(a, submission, cancellationToken) is { } doc
                ? Results.Bytes(doc.ToArray(), "application/json; charset=utf-8")
                : Results.NotFound(), isApi, cancellationToken),
            _ => await NotFoundAsync(viewer, isApi, asOf),
        };
    }

    private async Task<IResult> OverviewAsync(HttpContext context, DashboardViewer viewer, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var q = context.Request.Query;
        var page = await dashboard.OverviewAsync(viewer, OverviewQuery.Parse(q["late"], q["sort"], q["dir"]), asOf, cancellationToken);
        return await renderer.RenderAsync<Overview>(new() { [nameof(Overview.Page)] = page, [nameof(Overview.Directive)] = directive.Value.Name, [nameof(Overview.Viewer)] = viewer.Name });
    }

    private async Task<IResult> AgencyPageAsync(DashboardViewer viewer, AgencySnapshot agency, DateTimeOffset asOf, HttpContext context, CancellationToken cancellationToken)
    {
        var pageNumber = int.TryParse(context.Request.Query["page"], out var n) ? n : 1;
        var page = await dashboard.AgencyPageAsync(agency, asOf, pageNumber, cancellationToken);
        return await renderer.RenderAsync<AgencyView>(new() { [nameof(AgencyView.Page)] = page, [nameof(AgencyView.Directive)] = directive.Value.Name, [nameof(AgencyView.Viewer)] = viewer.Name });
    }

    /// <summary>Access first (403 for another agency's id, known or not), then existence (404).</summary>
    private async Task<IResult> AgencyAsync(DashboardViewer viewer, string id, DateTimeOffset asOf, Func<AgencySnapshot, Task<IResult>> found, bool isApi, CancellationToken cancellationToken)
    {
        if (!viewer.CanSee(id))
        {
            return await ForbiddenAsync(viewer, isApi);
        }

        return await dashboard.AgencyAsync(id, asOf, cancellationToken) is { } agency ? await found(agency) : await NotFoundAsync(viewer, isApi, asOf);
    }

    private Task<IResult> ForbiddenAsync(DashboardViewer viewer, bool isApi) => isApi
        ? Task.FromResult(Results.StatusCode(StatusCodes.Status403Forbidden))
        : Message("Access denied", "Your account may not see this page. Ask the directive's operators to add you to your agency's uploader group.", viewer, StatusCodes.Status403Forbidden);

    private Task<IResult> NotFoundAsync(DashboardViewer viewer, bool isApi, DateTimeOffset asOf) => isApi
        ? Task.FromResult(Results.NotFound())
        : Message("Not found", "There is no such agency or page.", viewer, StatusCodes.Status404NotFound, asOf);

    private Task<IResult> Message(string title, string text, DashboardViewer viewer, int status, DateTimeOffset asOf = default) =>
        renderer.RenderAsync<Message>(new()
        {
            [nameof(Pages.Message.Title)] = title, [nameof(Pages.Message.Text)] = text, [nameof(Pages.Message.Directive)] = directive.Value.Name,
            [nameof(Pages.Message.Viewer)] = viewer.Name, [nameof(Pages.Message.AsOf)] = asOf,
        }, status);

    private static IResult Json<T>(T document) =>
        Results.Text(System.Text.Json.JsonSerializer.Serialize(document, Inventory.InventoryJson.Options), "application/json; charset=utf-8");

    private static IResult FindingsCsvResult(string agency, IReadOnlyList<Ingestion.FindingEntity> findings)
    {
        var text = new StringWriter();
        FindingsCsv.Write(findings, text);
        return Download($"{agency}-findings.csv", text.ToString());
    }

    private static IResult StatusCsvResult(IReadOnlyList<StatusRow> rows)
    {
        var text = new StringWriter();
        StatusCsv.Write(rows, text);
        return Download("status.csv", text.ToString());
    }

    private static IResult Download(string name, string csv) =>
        Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", name);
}
