namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// The values a series can take, as far as its history shows. A series that has never been negative (a latency,
/// a count, a price) gets no negative forecast or band: the floor is zero. Any other series is unbounded.
/// </summary>
public readonly record struct ForecastDomain(double Floor)
{
    public static ForecastDomain Unbounded { get; } = new(double.NegativeInfinity);

    public static ForecastDomain NonNegative { get; } = new(0);

    public bool IsBounded => !double.IsNegativeInfinity(Floor);

    public static ForecastDomain Of(IReadOnlyList<double> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i] < 0)
            {
                return Unbounded;
            }
        }

        return NonNegative;
    }

    public static ForecastDomain Of(ReadOnlySpan<double> history)
    {
        foreach (var v in history)
        {
            if (v < 0)
            {
                return Unbounded;
            }
        }

        return NonNegative;
    }

    /// <summary>Raises every value below the floor to it, in place, and returns the same array.</summary>
    public double[] Clip(double[] values)
    {
        if (IsBounded)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Math.Max(values[i], Floor);
            }
        }

        return values;
    }

    public ForecastPoint Clip(ForecastPoint point) => IsBounded
        ? point with
        {
            Value = Math.Max(point.Value, Floor),
            Lower80 = Math.Max(point.Lower80, Floor),
            Upper80 = Math.Max(point.Upper80, Floor),
            Lower95 = Math.Max(point.Lower95, Floor),
            Upper95 = Math.Max(point.Upper95, Floor),
        }
        : point;

    public string Describe() => IsBounded ? $"the history has never been below {Floor}, so neither are the forecast and its bands" : "unbounded";
}
