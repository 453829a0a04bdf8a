using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Series;

namespace IntentVision.Evaluation.Nab;

/// <summary>
/// The harness: a file streamed through a <see cref="SeriesAnomalyMonitor"/> in <see cref="NabBatches"/>, exactly as the
/// API's ingest path feeds it. A row's score is the score of the anomaly the monitor would store at its timestamp, 0
/// where none: the same rule the end-to-end mode applies to what the API returns.
/// </summary>
public static class MonitorScoring
{
    /// <summary>Stored-anomaly scores per row, and (for comparison) the detector's score of every row it scored.</summary>
    public static (double[] Stored, double[] Detector) Score(NabSeries series, MonitorSettings settings)
    {
        var monitor = new SeriesAnomalyMonitor(settings);
        var stored = new Dictionary<DateTimeOffset, double>();
        var detector = new Dictionary<DateTimeOffset, double>();
        var points = new TimedValue[series.Values.Length];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new TimedValue(new DateTimeOffset(series.Timestamps[i], TimeSpan.Zero), series.Values[i]);
        }

        foreach (var range in NabBatches.Split(series.Key, points.Length))
        {
            var result = monitor.Observe(points[range], (point, score) => detector[point.Timestamp] = score);
            foreach (var anomaly in result.Anomalies)
            {
                stored[anomaly.Timestamp] = anomaly.Score;
            }
        }

        return (ByRow(points, stored), ByRow(points, detector));
    }

    public static double[] ByRow(IReadOnlyList<TimedValue> points, IReadOnlyDictionary<DateTimeOffset, double> byTimestamp)
    {
        var scores = new double[points.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = byTimestamp.GetValueOrDefault(points[i].Timestamp);
        }

        return scores;
    }
}
