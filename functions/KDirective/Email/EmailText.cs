using System.Text;
using System.Text.Encodings.Web;

namespace KDirective.Email;

/// <summary>
/// Builds the plain-text and HTML bodies side by side. Every value goes through <see cref="Value"/>, which
/// HTML-encodes it for the HTML body, so names and file names from uploads or the registry never become markup.
/// </summary>
internal sealed class EmailText
{
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _html = new("<!DOCTYPE html><html><body style=\"font-family:Segoe UI,Arial,sans-serif\">");

    public static string Date(DateOnly date) => Directive.DirectiveCalendar.Display(date);

    /// <summary>One line of a subject: no line breaks (no header injection), bounded length.</summary>
    public static string SubjectSafe(string value)
    {
        var line = new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return line.Length > 200 ? line[..200] : line;
    }

    public EmailText Paragraph(params Value[] parts)
    {
        _text.AppendLine(string.Concat(parts.Select(p => p.Text))).AppendLine();
        _html.Append("<p>").Append(string.Concat(parts.Select(p => p.Html))).Append("</p>");
        return this;
    }

    public EmailText List(IEnumerable<Value[]> items)
    {
        _html.Append("<ul>");
        foreach (var parts in items)
        {
            _text.Append("  - ").AppendLine(string.Concat(parts.Select(p => p.Text)));
            _html.Append("<li>").Append(string.Concat(parts.Select(p => p.Html))).Append("</li>");
        }

        _text.AppendLine();
        _html.Append("</ul>");
        return this;
    }

    public (string Text, string Html) Build() => (_text.ToString().TrimEnd() + Environment.NewLine, _html + "</body></html>");

    /// <summary>A piece of text: <see cref="Plain"/> is ours, anything else is data and is encoded.</summary>
    public readonly record struct Value(string Text, string Html)
    {
        public static implicit operator Value(string data) => new(data, HtmlEncoder.Default.Encode(data));

        public static Value Plain(string ours) => new(ours, ours);

        public static Value Bold(string data) => new(data, $"<strong>{HtmlEncoder.Default.Encode(data)}</strong>");
    }
}
