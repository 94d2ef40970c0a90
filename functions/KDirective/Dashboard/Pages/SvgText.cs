using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace KDirective.Dashboard.Pages;

/// <summary>An SVG <c>&lt;text&gt;</c> element, which Razor markup cannot write (it reserves the tag); the content is encoded.</summary>
public sealed class SvgText : ComponentBase
{
    [Parameter, EditorRequired] public double X { get; set; }

    [Parameter, EditorRequired] public double Y { get; set; }

    [Parameter] public string Anchor { get; set; } = "start";

    [Parameter, EditorRequired] public string Label { get; set; } = string.Empty;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "text");
        builder.AddAttribute(1, "class", "kd-chart__label");
        builder.AddAttribute(2, "x", X.ToString("0.#", CultureInfo.InvariantCulture));
        builder.AddAttribute(3, "y", Y.ToString("0.#", CultureInfo.InvariantCulture));
        builder.AddAttribute(4, "text-anchor", Anchor);
        builder.AddContent(5, Label);
        builder.CloseElement();
    }
}
