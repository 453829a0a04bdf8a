using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IntentVision.Api.Alerting;

/// <summary>
/// The text templates of channels: a small Mustache subset over the notification payload (the JSON documented for
/// webhooks). <c>{{status}}</c>, <c>{{groupLabels.service}}</c>, <c>{{alerts.0.message}}</c> insert a value;
/// <c>{{#alerts}}...{{/alerts}}</c> repeats for each element (inside, names resolve against the element first, then
/// outwards; <c>{{.}}</c> is the element itself); <c>{{^x}}...{{/x}}</c> renders when x is missing, empty or false.
/// No code runs and nothing is escaped: the output is plain text.
/// </summary>
public static partial class MessageTemplate
{
    /// <summary>Null when the template is well formed, else what is wrong.</summary>
    public static string? Problem(string template)
    {
        try
        {
            _ = Parse(template);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    public static string Render(string template, JsonElement model)
    {
        var output = new StringBuilder();
        Render(Parse(template), [model], output);
        return output.ToString();
    }

    private static void Render(IReadOnlyList<Node> nodes, List<JsonElement> scopes, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case Text text:
                    output.Append(text.Value);
                    break;
                case Variable variable:
                    if (Lookup(scopes, variable.Path) is { } value)
                    {
                        output.Append(Format(value));
                    }

                    break;
                case Section section:
                    var found = Lookup(scopes, section.Path);
                    var truthy = found is { } f && IsTruthy(f);
                    if (section.Inverted)
                    {
                        if (!truthy)
                        {
                            Render(section.Children, scopes, output);
                        }
                    }
                    else if (truthy && found!.Value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var item in found.Value.EnumerateArray())
                        {
                            scopes.Add(item);
                            Render(section.Children, scopes, output);
                            scopes.RemoveAt(scopes.Count - 1);
                        }
                    }
                    else if (truthy)
                    {
                        scopes.Add(found!.Value);
                        Render(section.Children, scopes, output);
                        scopes.RemoveAt(scopes.Count - 1);
                    }

                    break;
            }
        }
    }

    private static JsonElement? Lookup(List<JsonElement> scopes, string path)
    {
        if (path == ".")
        {
            return scopes[^1];
        }

        var parts = path.Split('.');
        for (var i = scopes.Count - 1; i >= 0; i--)
        {
            if (Step(scopes[i], parts[0]) is not { } first)
            {
                continue;
            }

            JsonElement? current = first;
            foreach (var part in parts.Skip(1))
            {
                current = current is { } c ? Step(c, part) : null;
            }

            return current;
        }

        return null;
    }

    private static JsonElement? Step(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child))
        {
            return child;
        }

        if (element.ValueKind == JsonValueKind.Array && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < element.GetArrayLength())
        {
            return element[index];
        }

        return null;
    }

    private static bool IsTruthy(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => false,
        JsonValueKind.String => e.GetString()!.Length > 0,
        JsonValueKind.Array => e.GetArrayLength() > 0,
        _ => true,
    };

    private static string Format(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        JsonValueKind.Object => string.Join(", ", e.EnumerateObject().Select(p => $"{p.Name}={Format(p.Value)}")),
        JsonValueKind.Array => string.Join(", ", e.EnumerateArray().Select(Format)),
        _ => e.GetRawText(),
    };

    private static List<Node> Parse(string template)
    {
        var root = new List<Node>();
        var stack = new Stack<(string Path, List<Node> Nodes)>();
        var current = root;
        var position = 0;
        foreach (Match tag in Tag().Matches(template))
        {
            current.Add(new Text(template[position..tag.Index]));
            position = tag.Index + tag.Length;
            var sigil = tag.Groups["sigil"].Value;
            var path = tag.Groups["path"].Value;
            if (!Path().IsMatch(path))
            {
                throw new FormatException($"'{{{{{sigil}{path}}}}}' names no value: use names like status, alerts or groupLabels.service");
            }

            switch (sigil)
            {
                case "#" or "^":
                    var section = new Section(path, sigil == "^", []);
                    current.Add(section);
                    stack.Push((path, current));
                    current = section.Children;
                    break;
                case "/":
                    if (stack.Count == 0 || stack.Peek().Path != path)
                    {
                        throw new FormatException($"'{{{{/{path}}}}}' closes no open section");
                    }

                    current = stack.Pop().Nodes;
                    break;
                default:
                    current.Add(new Variable(path));
                    break;
            }
        }

        if (stack.Count > 0)
        {
            throw new FormatException($"the section '{stack.Peek().Path}' is never closed");
        }

        current.Add(new Text(template[position..]));
        return root;
    }

    [GeneratedRegex(@"\{\{\s*(?<sigil>[#^/]?)\s*(?<path>[^{}]*?)\s*\}\}")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^(\.|[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*)$")]
    private static partial Regex Path();

    private abstract record Node;

    private sealed record Text(string Value) : Node;

    private sealed record Variable(string Path) : Node;

    private sealed record Section(string Path, bool Inverted, List<Node> Children) : Node;
}
