using System.Collections;

namespace IntentVision.Api.Logging;

/// <summary>
/// The structured values of a log entry or scope with secrets masked, and its message already masked; providers
/// that read values (OpenTelemetry) and those that read the message (console) see the same masked entry.
/// </summary>
internal sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => values.Count;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => message;

    /// <summary>The masked state, or null when <paramref name="state"/> held no secret.</summary>
    public static RedactedState? From<TState>(TState state, string message, string maskedMessage, SecretRedactor redactor)
    {
        var changed = !ReferenceEquals(message, maskedMessage);
        List<KeyValuePair<string, object?>>? masked = null;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                var (key, value) = pairs[i];
                if (key != "{OriginalFormat}" && Textual(value) is { } text && !ReferenceEquals(redactor.Redact(text), text))
                {
                    masked ??= [.. pairs];
                    masked[i] = new KeyValuePair<string, object?>(key, redactor.Redact(text));
                }
            }
        }

        if (!changed && masked is null)
        {
            return null;
        }

        return new RedactedState(masked ?? (state as IReadOnlyList<KeyValuePair<string, object?>>) ?? [], maskedMessage);
    }

    /// <summary>Values that can carry text (strings, paths, query strings, URIs, anything not a plain value).</summary>
    private static string? Textual(object? value) => value switch
    {
        null or bool or char or sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal
            or DateTime or DateTimeOffset or TimeSpan or Guid or Enum => null,
        string text => text,
        _ => value.ToString(),
    };
}
