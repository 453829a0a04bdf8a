using IntentVision.Analytics.Seasonality;

namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// Decomposition forecasting for several seasonalities: robust MSTL removes every detected season, a
/// non-seasonal model extrapolates trend plus remainder, and each seasonal component continues as its last
/// cycle (as forecast::stlf does). With <c>logScale</c> the work happens on log values, which turns a season
/// whose amplitude grows with the level into an additive one; it only applies to positive series.
/// </summary>
public sealed class MstlForecaster(IReadOnlyList<int> periods, AdjustedSeriesModel model, bool logScale = false) : IPointForecaster
{
    private readonly DecompositionCache? _cache;
    private readonly string? _name;

    /// <summary>A forecaster that shares decompositions with others built on the same <paramref name="cache"/>
    /// (auto fits MSTL + ETS and MSTL + Theta on the same history; the decomposition is the costly part).</summary>
    internal MstlForecaster(IReadOnlyList<int> periods, AdjustedSeriesModel model, bool logScale, DecompositionCache cache, string? name = null)
        : this(periods, model, logScale)
    {
        _cache = cache;
        _name = name;
    }

    public string Name => _name ?? (model, logScale) switch
    {
        (AdjustedSeriesModel.Theta, false) => "mstl-theta",
        (AdjustedSeriesModel.Theta, true) => "mstl-theta-log",
        (_, false) => "mstl-ets",
        _ => "mstl-ets-log",
    };

    public PointForecast Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var n = history.Length;
        var useLog = logScale;
        foreach (var v in history)
        {
            if (v <= 0)
            {
                useLog = false;
                break;
            }
        }

        var y = history.ToArray();
        if (useLog)
        {
            for (var i = 0; i < n; i++)
            {
                y[i] = Math.Log(y[i]);
            }
        }

        var decomposition = _cache is null ? Mstl.Decompose(y, periods) : _cache.Decompose(y, periods);
        var adjusted = new double[n];
        for (var t = 0; t < n; t++)
        {
            adjusted[t] = decomposition.Trend[t] + decomposition.Remainder[t];
        }

        double[] values;
        string inner;
        if (model == AdjustedSeriesModel.Theta)
        {
            values = ThetaForecaster.ForecastNonSeasonal(adjusted, horizon, out var alpha);
            inner = $"Theta (alpha={alpha:0.###})";
        }
        else
        {
            var fit = AutoExponentialSmoothingForecaster.SelectFit(adjusted, 1, allowSeasonal: false);
            values = fit.Forecast(horizon);
            inner = fit.Describe();
        }

        for (var i = 0; i < decomposition.Periods.Count; i++)
        {
            var period = decomposition.Periods[i];
            var seasonal = decomposition.Seasonals[i];
            for (var h = 0; h < horizon; h++)
            {
                values[h] += seasonal[n - period + (h % period)];
            }
        }

        if (useLog)
        {
            for (var h = 0; h < horizon; h++)
            {
                values[h] = Math.Exp(values[h]);
            }
        }

        var seasons = decomposition.Periods.Count == 0 ? "none" : string.Join("+", decomposition.Periods);
        return new PointForecast(values, $"robust MSTL (periods {seasons}{(useLog ? ", log scale" : string.Empty)}) then {inner} on the adjusted series");
    }
}

/// <summary>Remembers the latest few decompositions by their exact input, so identical inputs are decomposed once.</summary>
internal sealed class DecompositionCache
{
    private readonly List<(double[] Input, int[] Periods, StlDecomposition Result)> _entries = [];

    public StlDecomposition Decompose(double[] values, IReadOnlyList<int> periods)
    {
        foreach (var (input, p, result) in _entries)
        {
            if (input.AsSpan().SequenceEqual(values) && p.AsSpan().SequenceEqual(periods.ToArray()))
            {
                return result;
            }
        }

        var decomposition = Mstl.Decompose(values, periods);
        if (_entries.Count >= 4)
        {
            _entries.RemoveAt(0);
        }

        _entries.Add(((double[])values.Clone(), periods.ToArray(), decomposition));
        return decomposition;
    }
}
