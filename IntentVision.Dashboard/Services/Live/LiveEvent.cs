using System.Text.Json;

namespace IntentVision.Dashboard.Services.Live;

/// <summary>One event the API pushed: its type (anomaly.detected, alert.changed, ...) and JSON data.</summary>
public sealed record LiveEvent(string Type, string Data)
{
    public const string AnomalyDetected = "anomaly.detected";
    public const string AlertChanged = "alert.changed";

    /// <summary>The API dropped events for a slow reader: whatever the page shows may be stale, so it reloads.</summary>
    public const string Resync = "resync";

    /// <summary>The series the event is about, when it names one.</summary>
    public long? SeriesId
    {
        get
        {
            try
            {
                using var json = JsonDocument.Parse(Data);
                return json.RootElement.ValueKind == JsonValueKind.Object
                       && json.RootElement.TryGetProperty("seriesId", out var id) && id.ValueKind == JsonValueKind.Number
                    ? id.GetInt64()
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
