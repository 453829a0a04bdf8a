using System.Globalization;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>The one-sentence reading of an anomaly's explanation that analysts see first.</summary>
internal static class AnomalySummary
{
    public static string Compose(AnomalyType type, AnomalyEvidence evidence, double value, double expected, double lower, double upper, double? deviation, TimeSpan? seasonalPeriod)
    {
        var up = value >= expected;
        var what = type switch
        {
            AnomalyType.LevelShift => up ? "Level shift up" : "Level shift down",
            AnomalyType.TrendChange => up ? "Trend change upwards" : "Trend change downwards",
            _ => evidence == AnomalyEvidence.Pattern ? "Unusual pattern" : up ? "Spike" : "Dip",
        };
        var band = $"(band {Number(lower)} to {Number(upper)})";
        var how = deviation is { } d
            ? $"{Number(Math.Abs(d))} robust SDs {(up ? "above" : "below")} the expected {Number(expected)} {band}"
            : $"{Number(value)} against the expected {Number(expected)} in a series that had not varied";
        var why = evidence switch
        {
            AnomalyEvidence.NewExtreme => $"; {Number(value)} is {(up ? "above the highest" : "below the lowest")} value seen so far",
            AnomalyEvidence.Pattern => "; the sequence leading to it is new to this series",
            _ => string.Empty,
        };
        return $"{what}: {how}{why}; {Seasonality(seasonalPeriod)}";
    }

    public static string Seasonality(TimeSpan? period) => period switch
    {
        null => "no seasonality",
        { } p when Math.Abs(p.TotalDays - 1) < 0.01 => "daily seasonality",
        { } p when Math.Abs(p.TotalDays - 7) < 0.01 => "weekly seasonality",
        { } p when Math.Abs(p.TotalDays - 365.25) < 1 => "yearly seasonality",
        { } p => $"seasonality of {Number(p.TotalHours)} hours",
    };

    private static string Number(double value) => value.ToString("G5", CultureInfo.InvariantCulture);
}
