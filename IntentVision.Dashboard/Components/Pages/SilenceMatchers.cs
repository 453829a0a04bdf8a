using IntentVision.Dashboard.Services;

namespace IntentVision.Dashboard.Components.Pages;

/// <summary>Reads matchers written as text: <c>service=api, severity=~page|critical, env!=test</c>.</summary>
public static class SilenceMatchers
{
    private static readonly string[] Operators = ["=~", "!~", "!=", "="];

    /// <summary>The matchers, or null when a part is not name, operator, value.</summary>
    public static List<LabelMatcherDto>? Parse(string? text)
    {
        var matchers = new List<LabelMatcherDto>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (index, op) = Operators.Select(o => (Index: part.IndexOf(o, StringComparison.Ordinal), Op: o)).Where(x => x.Index > 0).OrderBy(x => x.Index).ThenByDescending(x => x.Op.Length).FirstOrDefault();
            if (op is null)
            {
                return null;
            }

            matchers.Add(new LabelMatcherDto(part[..index].Trim(), op, part[(index + op.Length)..].Trim().Trim('"')));
        }

        return matchers;
    }
}
