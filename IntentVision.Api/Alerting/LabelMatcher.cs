using System.Text.RegularExpressions;

namespace IntentVision.Api.Alerting;

/// <summary>
/// One condition on an alert's labels, as in Alertmanager: <c>=</c>, <c>!=</c>, <c>=~</c> and <c>!~</c> (regular
/// expressions anchored at both ends). A missing label reads as the empty string.
/// </summary>
public sealed record LabelMatcher(string? Name, string? Op, string? Value)
{
    public static readonly IReadOnlyList<string> Operators = ["=", "!=", "=~", "!~"];

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var actual = Name is not null && labels.TryGetValue(Name, out var v) ? v : string.Empty;
        return (Op ?? "=") switch
        {
            "=" => actual == (Value ?? string.Empty),
            "!=" => actual != (Value ?? string.Empty),
            "=~" => RegexMatches(actual),
            _ => !RegexMatches(actual),
        };
    }

    /// <summary>Null when the matcher is well formed, else what is wrong with it.</summary>
    public string? Problem()
    {
        if (string.IsNullOrEmpty(Name) || !Ingestion.InputRules.DimensionKey().IsMatch(Name))
        {
            return "needs a label name (letters, digits, _ . -)";
        }

        if (!Operators.Contains(Op ?? "="))
        {
            return $"op must be one of: {string.Join(" ", Operators)}";
        }

        if (Value is null || Value.Length > 1024)
        {
            return "needs a value of at most 1024 characters";
        }

        if (Op is "=~" or "!~")
        {
            try
            {
                _ = new Regex(Value, RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException)
            {
                return "value is not a valid regular expression";
            }
        }

        return null;
    }

    public override string ToString() => $"{Name}{Op ?? "="}\"{Value}\"";

    private bool RegexMatches(string actual)
    {
        try
        {
            return Regex.IsMatch(actual, $"^(?:{Value})$", RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public static bool All(IReadOnlyList<LabelMatcher> matchers, IReadOnlyDictionary<string, string> labels) => matchers.All(m => m.Matches(labels));
}
