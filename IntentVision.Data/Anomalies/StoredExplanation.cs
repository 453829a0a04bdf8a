using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntentVision.Data.Anomalies;

/// <summary>
/// Why an anomaly was stored, as kept in its <c>context</c> JSON and returned by the API. Type is point,
/// level_shift or trend_change, like the anomaly's; <see cref="Evidence"/> (pattern, new_extreme, deviation) says
/// which reading decided the score.
/// </summary>
public sealed record StoredExplanation(
    double Expected,
    double Lower,
    double Upper,
    double? Deviation,
    string Detector,
    long? SeasonalPeriodSeconds,
    string Type,
    string Summary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Evidence = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The context JSON stored with the anomaly.</summary>
    public string ToContext() => JsonSerializer.Serialize(this, Json);

    /// <summary>The explanation in a stored context, or null for anomalies stored before explanations were (no summary).</summary>
    public static StoredExplanation? FromContext(string? context)
    {
        if (string.IsNullOrEmpty(context) || !context.Contains("\"summary\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StoredExplanation>(context, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
