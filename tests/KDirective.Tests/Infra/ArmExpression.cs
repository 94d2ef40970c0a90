using System.Text;
using System.Text.Json;

namespace KDirective.Tests.Infra;

/// <summary>
/// Evaluates the small subset of ARM template expressions the role-assignment conditions compile to (string
/// literals, format(), variables(), and the current agency uploader), so a test can read a condition as Azure will.
/// </summary>
internal sealed class ArmExpression(JsonElement variables, JsonElement uploader)
{
    public string Evaluate(string value) =>
        value.StartsWith('[') && !value.StartsWith("[[", StringComparison.Ordinal) ? Eval(value[1..^1].Trim(), out _) : value;

    private string Eval(string text, out int consumed)
    {
        var i = 0;
        var result = Term(text, ref i);
        consumed = i;
        return result;
    }

    private string Term(string s, ref int i)
    {
        if (s[i] == '\'')
        {
            var literal = new StringBuilder();
            for (i++; ; i++)
            {
                if (s[i] == '\'' && i + 1 < s.Length && s[i + 1] == '\'')
                {
                    literal.Append('\'');
                    i++;
                }
                else if (s[i] == '\'')
                {
                    i++;
                    return literal.ToString();
                }
                else
                {
                    literal.Append(s[i]);
                }
            }
        }

        var open = s.IndexOf('(', i);
        var name = s[i..open];
        i = open + 1;
        var args = new List<string>();
        while (s[i] != ')')
        {
            args.Add(Term(s, ref i));
            while (s[i] is ',' or ' ')
            {
                i++;
            }
        }

        i++; // ')'
        var result = name switch
        {
            "format" => Format(args[0], args.Skip(1).ToArray()),
            "variables" => Evaluate(variables.GetProperty(args[0]).GetString()!),
            "parameters" => Member(s, ref i),
            "copyIndex" => string.Empty,
            _ => throw new NotSupportedException(name),
        };
        return result;
    }

    /// <summary>parameters('agencyUploaders')[copyIndex()].agency: the uploader being assigned.</summary>
    private string Member(string s, ref int i)
    {
        const string access = "[copyIndex()].";
        if (s.AsSpan(i).StartsWith(access))
        {
            i += access.Length;
            var start = i;
            while (i < s.Length && char.IsLetter(s[i]))
            {
                i++;
            }

            return uploader.GetProperty(s[start..i]).GetString()!;
        }

        throw new NotSupportedException(s[i..]);
    }

    private static string Format(string template, string[] args)
    {
        var text = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                text.Append('{');
                i++;
            }
            else if (template[i] == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                text.Append('}');
                i++;
            }
            else if (template[i] == '{')
            {
                var close = template.IndexOf('}', i);
                text.Append(args[int.Parse(template[(i + 1)..close], System.Globalization.CultureInfo.InvariantCulture)]);
                i = close;
            }
            else
            {
                text.Append(template[i]);
            }
        }

        return text.ToString();
    }
}
