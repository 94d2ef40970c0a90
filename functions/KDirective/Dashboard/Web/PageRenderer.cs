using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KDirective.Dashboard.Web;

/// <summary>Renders a Razor component to an HTML response on the server. Razor encodes every value it writes.</summary>
public sealed class PageRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    public async Task<IResult> RenderAsync<TComponent>(Dictionary<string, object?> parameters, int statusCode = StatusCodes.Status200OK)
        where TComponent : IComponent =>
        Results.Content(await RenderToStringAsync<TComponent>(parameters), "text/html; charset=utf-8", System.Text.Encoding.UTF8, statusCode);

    /// <summary>The component's HTML, for an email body as well as a page.</summary>
    public async Task<string> RenderToStringAsync<TComponent>(Dictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }
}
