namespace IntentVision.Analytics.Series;

/// <summary>
/// Rejects inputs the numerics cannot give a meaningful answer for. NaN and infinity are refused rather than
/// skipped, because silently dropping them would hide a broken upstream collector.
/// </summary>
public static class SeriesValidator
{
    public static void RequireFinite(IReadOnlyList<TimedValue> history, string name = "history")
    {
        ArgumentNullException.ThrowIfNull(history, name);
        for (var i = 0; i < history.Count; i++)
        {
            var v = history[i].Value;
            if (double.IsNaN(v))
            {
                throw new ArgumentException($"{name}[{i}].Value is NaN.", name);
            }

            if (double.IsInfinity(v))
            {
                throw new ArgumentException($"{name}[{i}].Value is {(v > 0 ? "+" : "-")}infinity.", name);
            }
        }
    }

    public static void RequireFinite(IReadOnlyList<double> values, string name = "values")
    {
        ArgumentNullException.ThrowIfNull(values, name);
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"{name}[{i}] is {(double.IsNaN(v) ? "NaN" : "infinite")}.", name);
            }
        }
    }

    public static void RequireFinite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"{name} is {(double.IsNaN(value) ? "NaN" : "infinite")}.", name);
        }
    }
}
