namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// What makes two detections of a series "the same pattern": the direction, and a deviation at most
/// <see cref="Tolerance"/> times as large (plus half a robust SD). A pattern inside the band (an unusual sequence rather
/// than a magnitude) covers every detection inside the band in its direction; one without a measurable deviation (a
/// series that had not varied) covers every detection in its direction.
/// It serves twice: an analyst's "not an anomaly" teaches the series its pattern (later matches are not stored), and a
/// stored anomaly's pattern is its incident's (matches in the next points belong to it and are not stored again).
/// </summary>
/// <param name="Deviation">Signed deviation in robust SDs; null when the series had shown no spread.</param>
/// <param name="Direction">+1 above the expected value, -1 below.</param>
public sealed record AnomalyPattern(double? Deviation, int Direction)
{
    public const double Tolerance = 1.25;

    /// <summary>The pattern of a stored anomaly.</summary>
    public static AnomalyPattern Of(double value, AnomalyExplanation explanation) =>
        new(explanation.Deviation, value >= explanation.Expected ? 1 : -1);

    public bool Matches(AnomalyPattern other) => Matches(other.Deviation, other.Direction);

    public bool Matches(double? deviation, int direction)
    {
        if (direction != Direction)
        {
            return false;
        }

        if (Deviation is not { } marked)
        {
            return true;
        }

        if (deviation is not { } d)
        {
            return false;
        }

        var limit = Math.Abs(marked) < SeriesAnomalyMonitor.BandDeviations
            ? SeriesAnomalyMonitor.BandDeviations
            : (Tolerance * Math.Abs(marked)) + 0.5;
        return Math.Abs(d) <= limit;
    }
}
