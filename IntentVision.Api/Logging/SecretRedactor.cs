using System.Text.RegularExpressions;

namespace IntentVision.Api.Logging;

/// <summary>
/// Masks what must never reach a log: anything shaped like an API key (<c>ivk_...</c>), the values of key-like query
/// parameters (<c>?api_key=</c>, <c>token=</c>, <c>secret=</c>, ...), credentials after <c>Authorization</c>,
/// <c>X-Api-Key</c> or <c>Bearer</c>, and the configured secrets themselves (the bootstrap admin key).
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "***";

    private readonly string[] _literals;

    /// <param name="literals">Secrets to mask wherever they appear; blank or very short ones are ignored.</param>
    public SecretRedactor(IEnumerable<string?> literals) =>
        _literals = literals.Where(l => !string.IsNullOrWhiteSpace(l) && l.Trim().Length >= 8).Select(l => l!.Trim()).Distinct().ToArray();

    /// <summary>The text with every secret masked; the same instance when there was none.</summary>
    public string Redact(string text)
    {
        var result = text;
        foreach (var literal in _literals)
        {
            if (result.Contains(literal, StringComparison.Ordinal))
            {
                result = result.Replace(literal, Mask, StringComparison.Ordinal);
            }
        }

        result = Credential().Replace(result, $"${{lead}}{Mask}");
        result = SecretQueryValue().Replace(result, $"${{name}}{Mask}");
        result = KeyShaped().Replace(result, $"ivk_{Mask}");
        return string.Equals(result, text, StringComparison.Ordinal) ? text : result;
    }

    [GeneratedRegex(@"(?<lead>\b(?:x-api-key|authorization|x-intentvision-signature)[""']?\s*[:=]\s*[""']?(?:(?:bearer|basic)\s+)?|\b(?:bearer|basic)\s+)(?!\*\*\*)[^\s""',;&]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credential();

    [GeneratedRegex(@"(?<name>[?&;][\w.\-]*?(?:api[_\-]?key|apikey|key|token|secret|password|passwd|signature|sig|auth|authorization|credential)s?=)(?!\*\*\*)[^&\s""'#]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretQueryValue();

    [GeneratedRegex(@"ivk_(?!\*\*\*)[A-Za-z0-9_\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();
}
