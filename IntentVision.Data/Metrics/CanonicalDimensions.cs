using System.Text;
using System.Text.Json;

namespace IntentVision.Data.Metrics;

/// <summary>
/// Dimensions as stored: compact JSON with keys in ordinal order, so <c>{"b":"1","a":"2"}</c> and
/// <c>{"a":"2","b":"1"}</c> are one series, never two.
/// </summary>
public static class CanonicalDimensions
{
    public const string Empty = "{}";

    public static string Serialize(IReadOnlyDictionary<string, string>? dimensions)
    {
        if (dimensions is null || dimensions.Count == 0)
        {
            return Empty;
        }

        // Fast path, same bytes as the writer below: a few entries whose keys and values need no JSON escaping.
        if (dimensions.Count <= 16 && TrySerializePlain(dimensions) is { } plain)
        {
            return plain;
        }

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in dimensions.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string? TrySerializePlain(IReadOnlyDictionary<string, string> dimensions)
    {
        var entries = new KeyValuePair<string, string>[dimensions.Count];
        var n = 0;
        var length = 2;
        foreach (var entry in dimensions)
        {
            if (!IsPlain(entry.Key) || entry.Value is null || !IsPlain(entry.Value))
            {
                return null;
            }

            // Insertion sort: at most 16 entries.
            var j = n++;
            while (j > 0 && string.CompareOrdinal(entries[j - 1].Key, entry.Key) > 0)
            {
                entries[j] = entries[j - 1];
                j--;
            }

            entries[j] = entry;
            length += entry.Key.Length + entry.Value.Length + 6;
        }

        var text = new StringBuilder(length).Append('{');
        for (var i = 0; i < n; i++)
        {
            text.Append(i == 0 ? "\"" : ",\"").Append(entries[i].Key).Append("\":\"").Append(entries[i].Value).Append('"');
        }

        return text.Append('}').ToString();
    }

    /// <summary>Characters <see cref="Utf8JsonWriter"/> (default encoder) writes as they are.</summary>
    private static bool IsPlain(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is ' ' or '_' or '.' or '-' or ':' or '/' or ',' or ';' or '=' or '@' or '(' or ')' or '[' or ']' or '*' or '#' or '!' or '?' or '$' or '%' or '|' or '~' or '^' or '{' or '}'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when both hold the same entries (the same object, or equal contents); null and empty are the same.</summary>
    public static bool SameEntries(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        if (a is null || b is null)
        {
            return true;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public static IReadOnlyDictionary<string, string> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
