using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Data.Anomalies;

namespace IntentVision.Api.Detection;

/// <summary>How the analytics' anomalies and the stored rows (and their context JSON) map onto each other.</summary>
public static class AnomalyRecords
{
    public static NewAnomaly ToNew(long seriesId, DetectedAnomaly anomaly)
    {
        var e = anomaly.Explanation;
        var expected = double.IsFinite(e.Expected) ? e.Expected : anomaly.Value;
        var explanation = new StoredExplanation(
            expected,
            double.IsFinite(e.Lower) ? e.Lower : expected,
            double.IsFinite(e.Upper) ? e.Upper : expected,
            e.Deviation is { } d && double.IsFinite(d) ? Math.Round(d, 3) : null,
            e.Detector,
            e.SeasonalPeriod is { } p ? (long)p.TotalSeconds : null,
            TypeName(e.Type),
            e.Summary,
            EvidenceName(e.Evidence));
        return new NewAnomaly(seriesId, anomaly.Timestamp, anomaly.Value, expected, anomaly.Score, SeverityName(anomaly.Severity), explanation.Type, explanation.ToContext());
    }

    /// <summary>The rule an analyst's "not an anomaly" on a stored anomaly makes; null for anomalies stored without an explanation.</summary>
    public static AnomalyPattern? RuleFor(double value, string context)
    {
        if (StoredExplanation.FromContext(context) is not { } e)
        {
            return null;
        }

        return new AnomalyPattern(e.Deviation, value >= e.Expected ? 1 : -1);
    }

    public static string SeverityName(AnomalySeverity severity) => severity switch
    {
        AnomalySeverity.Critical => "critical",
        AnomalySeverity.High => "high",
        AnomalySeverity.Medium => "medium",
        _ => "low",
    };

    public static string TypeName(AnomalyType type) => type switch
    {
        AnomalyType.LevelShift => "level_shift",
        AnomalyType.TrendChange => "trend_change",
        _ => "point",
    };

    public static string EvidenceName(AnomalyEvidence evidence) => evidence switch
    {
        AnomalyEvidence.Pattern => "pattern",
        AnomalyEvidence.NewExtreme => "new_extreme",
        _ => "deviation",
    };
}
