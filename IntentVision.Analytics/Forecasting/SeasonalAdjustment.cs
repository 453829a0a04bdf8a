using IntentVision.Analytics.Seasonality;

namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// The M4 benchmarks' seasonal adjustment: classical decomposition at one period, applied only when the
/// 90% autocorrelation test passes. Multiplicative for positive data (as in M4); additive otherwise, since
/// ratios are meaningless around zero.
/// </summary>
internal sealed class SeasonalAdjustment
{
    private readonly double[]? _indices;

    private SeasonalAdjustment(int period, double[]? indices, bool multiplicative)
    {
        Period = period;
        _indices = indices;
        Multiplicative = multiplicative;
    }

    public int Period { get; }

    public bool Multiplicative { get; }

    public static SeasonalAdjustment Fit(ReadOnlySpan<double> values, int period)
    {
        if (period < 2 || !Autocorrelation.PassesSeasonalityTest(values, period))
        {
            return new SeasonalAdjustment(period, null, true);
        }

        var positive = true;
        foreach (var v in values)
        {
            if (v <= 0)
            {
                positive = false;
                break;
            }
        }

        return new SeasonalAdjustment(period, ClassicalDecomposition.SeasonalIndices(values, period, positive), positive);
    }

    public double[] Adjust(ReadOnlySpan<double> values)
    {
        var result = values.ToArray();
        if (_indices is null)
        {
            return result;
        }

        for (var t = 0; t < result.Length; t++)
        {
            result[t] = Multiplicative ? result[t] / _indices[t % Period] : result[t] - _indices[t % Period];
        }

        return result;
    }

    public void Reseasonalise(double[] forecast, int historyLength)
    {
        if (_indices is null)
        {
            return;
        }

        for (var h = 0; h < forecast.Length; h++)
        {
            var index = _indices[(historyLength + h) % Period];
            forecast[h] = Multiplicative ? forecast[h] * index : forecast[h] + index;
        }
    }

    public string Describe() => _indices is null
        ? $"no seasonality at lag {Period} (90% ACF test)"
        : $"{(Multiplicative ? "multiplicative" : "additive")} classical decomposition at lag {Period}";
}
