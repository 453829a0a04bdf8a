namespace IntentVision.Analytics.Forecasting;

/// <summary>The M4 accuracy measures.</summary>
public static class ForecastAccuracy
{
    /// <summary>Symmetric MAPE in percent: mean of 200 |y - f| / (|y| + |f|). A 0/0 term counts as 0.</summary>
    public static double SymmetricMape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var denominator = Math.Abs(actual[i]) + Math.Abs(forecast[i]);
            sum += denominator == 0 ? 0 : 200 * Math.Abs(actual[i] - forecast[i]) / denominator;
        }

        return sum / actual.Length;
    }

    /// <summary>MASE: mean absolute error scaled by the in-sample seasonal-naive MAE at lag <paramref name="period"/>.</summary>
    public static double Mase(ReadOnlySpan<double> insample, ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, int period)
    {
        var scale = SeasonalNaiveMae(insample, period);
        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += Math.Abs(actual[i] - forecast[i]);
        }

        return sum / actual.Length / scale;
    }

    public static double SeasonalNaiveMae(ReadOnlySpan<double> insample, int period)
    {
        var lag = insample.Length > period ? period : 1;
        var sum = 0.0;
        for (var t = lag; t < insample.Length; t++)
        {
            sum += Math.Abs(insample[t] - insample[t - lag]);
        }

        return sum / Math.Max(1, insample.Length - lag);
    }
}
