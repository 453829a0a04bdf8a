using IntentVision.Dashboard.Services.Formatting;

namespace IntentVision.Dashboard.Components.Charts;

/// <summary>
/// The values a series can take. A forecast's interval is a statistical band around the forecast and can reach
/// values the metric never takes (a latency of -200 ms); drawn bands stop at the series' domain.
/// </summary>
public sealed record ValueDomain(double Min, double Max)
{
    public static readonly ValueDomain Unbounded = new(double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>
    /// Non-negative when the unit says so (durations, bytes, percentages) or when no value seen was ever negative
    /// (counts, rates, depths); percentages also stop at 100 when the values never exceeded it.
    /// </summary>
    public static ValueDomain For(MetricUnit unit, IEnumerable<double> observed)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var value in observed)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        if (double.IsPositiveInfinity(min))
        {
            return unit.NeverNegative ? new ValueDomain(0, double.PositiveInfinity) : Unbounded;
        }

        var lower = unit.NeverNegative || min >= 0 ? 0 : double.NegativeInfinity;
        var upper = unit == MetricUnit.Percent && max <= 100 ? 100 : double.PositiveInfinity;
        return new ValueDomain(lower, upper);
    }

    public double Clip(double value) => Math.Clamp(value, Min, Max);
}
