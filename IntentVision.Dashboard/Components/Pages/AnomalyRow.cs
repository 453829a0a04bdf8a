using IntentVision.Dashboard.Services;

namespace IntentVision.Dashboard.Components.Pages;

/// <summary>An anomaly as the grid shows it: flat, with the series' label, so every column filters and sorts as text or number.</summary>
public sealed record AnomalyRow(long Id, long SeriesId, string Series, DateTime Time, double Value, double? Expected, double Score, string Severity, int SeverityRank, string Type, string State)
{
    public static AnomalyRow From(AnomalyDto a, string series) => new(
        a.Id, a.SeriesId, series, a.Timestamp.UtcDateTime, a.Value, a.Expected, a.Score, a.Severity,
        a.Severity switch { "critical" => 4, "high" => 3, "medium" => 2, _ => 1 },
        a.Type, a.Acknowledged ? "acknowledged" : "open");
}
