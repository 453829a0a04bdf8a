using IntentVision.Dashboard.Services;
using IntentVision.Dashboard.Services.Formatting;

namespace IntentVision.Dashboard.Components.Pages;

/// <summary>
/// An anomaly as the grid shows it: flat, with the series' label, so every column filters and sorts as text or
/// number; the values keep their numbers for sorting and carry their readable form (significant digits, unit).
/// </summary>
public sealed record AnomalyRow(
    long Id, long SeriesId, string Series, DateTimeOffset Timestamp, double Value, double? Expected, double Score, string Severity, int SeverityRank,
    string Type, string State, MetricUnit Unit, AnomalyDto Anomaly)
{
    public string ValueText => ValueFormat.Format(Value, Unit);

    public string ExpectedText => ValueFormat.Format(Expected, Unit);

    public bool MarkedNotAnomaly => Anomaly.Feedback?.Verdict == AnomalyFeedbackDto.NotAnomaly;

    public static AnomalyRow From(AnomalyDto a, SeriesDto? series) => new(
        a.Id, a.SeriesId, series?.Label ?? $"series {a.SeriesId}", a.Timestamp, a.Value, a.Expected, a.Score, a.Severity,
        a.Severity switch { "critical" => 4, "high" => 3, "medium" => 2, _ => 1 },
        a.Type, a.Acknowledged ? "acknowledged" : "open", MetricUnit.FromMetricKey(series?.MetricKey), a);
}
