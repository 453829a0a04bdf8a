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

    public static IReadOnlyDictionary<string, string> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
