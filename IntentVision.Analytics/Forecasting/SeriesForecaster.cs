using System.Globalization;
using System.Text;
using IntentVision.Analytics.Seasonality;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// The forecasting entry point: regularises the history, finds its seasonalities, fits the requested method
/// (or chooses one on a holdout for "auto"), and sizes prediction intervals from backtest errors.
/// Pure computation: no I/O, no clock.
/// </summary>
public sealed class SeriesForecaster(ForecastOptions? options = null)
{
    private static readonly string[] MethodNames =
    [
        "auto", "naive", "snaive", "naive2", "ses", "holt", "damped", "theta", "ets", "hw-additive",
        "hw-multiplicative", "mstl-ets", "mstl-theta", "mstl-ets-log",
    ];

    private readonly ForecastOptions _options = options ?? ForecastOptions.Default;

    public static IReadOnlyList<string> Methods => MethodNames;

    public ForecastResult Forecast(IReadOnlyList<TimedValue> history, ForecastRequest request)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(request);
        ValidateRequest(request);
        SeriesValidator.RequireFinite(history);
        if (history.Count == 0)
        {
            throw new ArgumentException("history is empty: at least one point is needed to forecast.", nameof(history));
        }

        return Forecast(SeriesRegulariser.Regularise(history, request.Frequency), request);
    }

    public ForecastResult Forecast(RegularSeries series, ForecastRequest request)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(request);
        ValidateRequest(request);
        SeriesValidator.RequireFinite(series.Values, "series.Values");
        if (series.Values.Count == 0)
        {
            throw new ArgumentException("series is empty: at least one point is needed to forecast.", nameof(series));
        }

        var info = new StringBuilder();
        var all = series.Values;
        var n = Math.Min(all.Count, _options.MaxHistoryPoints);
        if (n < all.Count)
        {
            info.Append(CultureInfo.InvariantCulture, $"fitted on the latest {n} of {all.Count} points; ");
        }

        if (series.FilledGaps > 0 || series.MergedObservations > 0)
        {
            info.Append(CultureInfo.InvariantCulture, $"regularised to {series.Frequency}: {series.FilledGaps} missing slots interpolated, {series.MergedObservations} duplicate-slot observations averaged; ");
        }

        // Everything is fitted in units of the largest magnitude so that huge values cannot overflow squared errors.
        var y = new double[n];
        var scale = 0.0;
        for (var i = 0; i < n; i++)
        {
            y[i] = all[all.Count - n + i];
            scale = Math.Max(scale, Math.Abs(y[i]));
        }

        scale = scale > 0 ? scale : 1;
        for (var i = 0; i < n; i++)
        {
            y[i] /= scale;
        }

        var candidates = SeasonalPeriodCandidates.For(series.Frequency);
        var primary = candidates.Count > 0 ? candidates.Min() : 1;
        var detected = SeasonalityDetector.Detect(y, candidates);
        var horizon = request.Horizon;
        Outcome outcome;
        if (IsConstant(y))
        {
            info.Append("constant series: the last value is repeated with zero-width intervals");
            var flat = new double[horizon];
            Array.Fill(flat, y[^1]);
            outcome = new Outcome("constant", flat, new double[horizon], new double[horizon]);
        }
        else if (n < MinimumForMethods(primary))
        {
            outcome = Fallback(y, horizon, primary, info);
        }
        else
        {
            info.Append(CultureInfo.InvariantCulture, $"seasonal periods detected: {(detected.Count == 0 ? "none" : string.Join(", ", detected))} (candidates {(candidates.Count == 0 ? "none" : string.Join(", ", candidates))}); ");
            outcome = request.Method.Equals("auto", StringComparison.OrdinalIgnoreCase)
                ? Automatic(y, horizon, primary, detected, info)
                : Named(request.Method.ToLowerInvariant(), y, horizon, primary, detected, info);
        }

        var points = new ForecastPoint[horizon];
        for (var h = 0; h < horizon; h++)
        {
            var value = outcome.Values[h] * scale;
            var w80 = outcome.HalfWidth80[h] * scale;
            var w95 = outcome.HalfWidth95[h] * scale;
            points[h] = new ForecastPoint(series.TimestampAt(all.Count + h), value, value - w80, value + w80, value - w95, value + w95);
        }

        return new ForecastResult(points, outcome.Method, info.ToString(), series.Frequency, detected, series.FilledGaps);
    }

    /// <summary>Creates a named method for a series with the given calendar period and detected seasonalities.</summary>
    public static IPointForecaster CreateMethod(string method, int primaryPeriod, IReadOnlyList<int> seasonalPeriods) => method switch
    {
        "naive" => new NaiveForecaster(),
        "snaive" => new SeasonalNaiveForecaster(primaryPeriod),
        "naive2" => new Naive2Forecaster(primaryPeriod),
        "ses" => new SeasonallyAdjustedForecaster("ses", primaryPeriod, TrendKind.None),
        "holt" => new SeasonallyAdjustedForecaster("holt", primaryPeriod, TrendKind.Additive),
        "damped" => new SeasonallyAdjustedForecaster("damped", primaryPeriod, TrendKind.DampedAdditive),
        "theta" => new ThetaForecaster(primaryPeriod),
        "ets" => new AutoExponentialSmoothingForecaster(primaryPeriod),
        "hw-additive" => new ExponentialSmoothingForecaster("hw-additive", TrendKind.DampedAdditive, SeasonKind.Additive, primaryPeriod),
        "hw-multiplicative" => new ExponentialSmoothingForecaster("hw-multiplicative", TrendKind.DampedAdditive, SeasonKind.Multiplicative, primaryPeriod),
        "mstl-ets" => new MstlForecaster(seasonalPeriods, AdjustedSeriesModel.ExponentialSmoothing),
        "mstl-theta" => new MstlForecaster(seasonalPeriods, AdjustedSeriesModel.Theta),
        "mstl-ets-log" => new MstlForecaster(seasonalPeriods, AdjustedSeriesModel.ExponentialSmoothing, logScale: true),
        _ => throw new ArgumentException($"unknown forecast method '{method}'; known: {string.Join(", ", MethodNames)}.", nameof(method)),
    };

    private static void ValidateRequest(ForecastRequest request)
    {
        if (request.Horizon is < 1 or > 100_000)
        {
            throw new ArgumentException($"request.Horizon must be between 1 and 100000, got {request.Horizon}.", nameof(request));
        }

        if (request.Frequency is { } f && f <= TimeSpan.Zero)
        {
            throw new ArgumentException($"request.Frequency must be positive, got {f}.", nameof(request));
        }

        if (!MethodNames.Contains(request.Method, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"request.Method '{request.Method}' is unknown; known: {string.Join(", ", MethodNames)}.", nameof(request));
        }
    }

    /// <summary>Seasonal models and a holdout need two full cycles of the shortest calendar period.</summary>
    private static int MinimumForMethods(int primary) => Math.Max(2 * primary, 16);

    private static bool IsConstant(double[] y)
    {
        var min = y.Min();
        var max = y.Max();
        return max - min <= 1e-12 * Math.Max(1, Math.Abs(max));
    }

    private Outcome Fallback(double[] y, int horizon, int primary, StringBuilder info)
    {
        var n = y.Length;
        double[] values;
        string method;
        if (n < 4)
        {
            values = new NaiveForecaster().Forecast(y, horizon).Values;
            method = "naive";
            info.Append(CultureInfo.InvariantCulture, $"fallback: {n} points are too few to fit anything; the last value is repeated");
        }
        else
        {
            var fit = AutoExponentialSmoothingForecaster.SelectFit(y, 1, allowSeasonal: false);
            values = fit.Forecast(horizon);
            method = "ets";
            info.Append(CultureInfo.InvariantCulture, $"fallback: {n} points are too few for seasonal models or a holdout (need {MinimumForMethods(primary)}); used {fit.Describe()}");
        }

        // Without room for a backtest, intervals follow a random walk fitted to the point-to-point changes.
        var sigma = 0.0;
        for (var i = 1; i < n; i++)
        {
            sigma += (y[i] - y[i - 1]) * (y[i] - y[i - 1]);
        }

        sigma = n > 1 ? Math.Sqrt(sigma / (n - 1)) : Math.Abs(y[0]) * 0.1;
        var w80 = new double[horizon];
        var w95 = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            w80[h] = 1.2816 * sigma * Math.Sqrt(h + 1);
            w95[h] = 1.96 * sigma * Math.Sqrt(h + 1);
        }

        info.Append("; intervals assume a random walk");
        return new Outcome(method, values, w80, w95);
    }

    private Outcome Named(string method, double[] y, int horizon, int primary, IReadOnlyList<int> detected, StringBuilder info)
    {
        var forecaster = CreateMethod(method, primary, detected);
        var forecast = forecaster.Forecast(y, horizon);
        info.Append(CultureInfo.InvariantCulture, $"method '{method}' as requested: {forecast.Description}; ");
        var errors = BacktestErrors(forecaster, y, horizon, primary, _options.IntervalOrigins, null);
        return WithIntervals(forecaster.Name, forecast.Values, errors, horizon, info);
    }

    private Outcome Automatic(double[] y, int horizon, int primary, IReadOnlyList<int> detected, StringBuilder info)
    {
        var n = y.Length;
        var holdout = Math.Min(horizon, n - MinimumForMethods(primary));
        var candidates = AutoCandidates(y, primary, detected);
        if (holdout < 1)
        {
            var only = candidates[0];
            info.Append(CultureInfo.InvariantCulture, $"auto: no room for a holdout, used {only.Name}; ");
            return WithIntervals(only.Name, only.Forecast(y, horizon).Values, [], horizon, info);
        }

        var train = y.AsSpan(0, n - holdout);
        var actual = y.AsSpan(n - holdout);
        IPointForecaster? best = null;
        double[]? bestErrors = null;
        var bestScore = double.PositiveInfinity;
        var scores = new List<string>();
        foreach (var candidate in candidates)
        {
            var forecast = candidate.Forecast(train, holdout).Values;
            var errors = new double[holdout];
            var score = 0.0;
            for (var h = 0; h < holdout; h++)
            {
                errors[h] = actual[h] - forecast[h];
                score += Math.Abs(errors[h]);
            }

            score /= holdout;
            scores.Add(string.Create(CultureInfo.InvariantCulture, $"{candidate.Name} {score:G3}"));
            if (score < bestScore)
            {
                bestScore = score;
                best = candidate;
                bestErrors = errors;
            }
        }

        var chosen = best!;
        var final = chosen.Forecast(y, horizon);
        info.Append(CultureInfo.InvariantCulture, $"auto: chose {chosen.Name}, lowest mean absolute error over a {holdout}-step holdout (MAE in units of the series maximum: {string.Join(", ", scores)}); {final.Description}; ");
        var backtest = BacktestErrors(chosen, y, horizon, primary, _options.IntervalOrigins - 1, bestErrors);
        return WithIntervals(chosen.Name, final.Values, backtest, horizon, info);
    }

    private static List<IPointForecaster> AutoCandidates(double[] y, int primary, IReadOnlyList<int> detected)
    {
        var list = new List<IPointForecaster>();
        if (detected.Count > 0)
        {
            // MSTL + ETS and MSTL + Theta decompose the same history: one decomposition serves both.
            var cache = new DecompositionCache();
            list.Add(new MstlForecaster(detected, AdjustedSeriesModel.ExponentialSmoothing, false, cache));
            list.Add(new MstlForecaster(detected, AdjustedSeriesModel.Theta, false, cache));
            if (y.All(v => v > 0))
            {
                list.Add(new MstlForecaster(detected, AdjustedSeriesModel.ExponentialSmoothing, true, cache));
            }

            list.Add(new SeasonalNaiveForecaster(primary));
        }
        else
        {
            list.Add(new AutoExponentialSmoothingForecaster(primary, allowSeasonal: false));
            list.Add(new ThetaForecaster(primary, seasonallyAdjust: false));
            list.Add(new NaiveForecaster());
        }

        return list;
    }

    /// <summary>
    /// Forecast errors of <paramref name="forecaster"/> from earlier origins, each a refit on the history up to
    /// it. Origins step back by one seasonal cycle (or half the horizon) so they sample different phases.
    /// </summary>
    private static List<double[]> BacktestErrors(IPointForecaster forecaster, double[] y, int horizon, int primary, int origins, double[]? alreadyKnown)
    {
        var result = new List<double[]>();
        if (alreadyKnown is not null)
        {
            result.Add(alreadyKnown);
        }

        var n = y.Length;
        var step = Math.Max(1, primary > 1 ? primary : horizon / 2);
        var firstOrigin = n - horizon - (alreadyKnown is null ? 0 : step);
        for (var k = 0; k < origins; k++)
        {
            var origin = firstOrigin - (k * step);
            var length = Math.Min(horizon, n - origin);
            if (origin < MinimumForMethods(primary) || length < 1)
            {
                break;
            }

            var forecast = forecaster.Forecast(y.AsSpan(0, origin), length).Values;
            var errors = new double[length];
            for (var h = 0; h < length; h++)
            {
                errors[h] = y[origin + h] - forecast[h];
            }

            result.Add(errors);
        }

        return result;
    }

    /// <summary>
    /// Interval half-widths from the backtest errors: the root mean square error at each step, pooled over
    /// neighbouring steps (errors at adjacent horizons are alike and there are few origins), times the Gaussian
    /// quantile. The pooled scale is not allowed to shrink with the horizon, since uncertainty does not.
    /// </summary>
    private static Outcome WithIntervals(string method, double[] values, List<double[]> errors, int horizon, StringBuilder info)
    {
        var w80 = new double[horizon];
        var w95 = new double[horizon];
        if (errors.Count == 0)
        {
            info.Append("no backtest possible: zero-width intervals");
            return new Outcome(method, values, w80, w95);
        }

        var maxStep = errors.Max(e => e.Length);
        var rms = new double[horizon];
        const int pool = 3;
        for (var h = 0; h < horizon; h++)
        {
            var sum = 0.0;
            var count = 0;
            var centre = Math.Min(h, maxStep - 1);
            foreach (var e in errors)
            {
                for (var j = Math.Max(0, centre - pool); j <= Math.Min(e.Length - 1, centre + pool); j++)
                {
                    sum += e[j] * e[j];
                    count++;
                }
            }

            var scale = count > 0 ? Math.Sqrt(sum / count) : 0;

            // Past the backtested steps, grow like a random walk from the last backtested scale.
            if (h >= maxStep)
            {
                scale *= Math.Sqrt((h + 1.0) / maxStep);
            }

            rms[h] = h > 0 ? Math.Max(scale, rms[h - 1]) : scale;
            w80[h] = 1.2816 * rms[h];
            w95[h] = 1.96 * rms[h];
        }

        info.Append(CultureInfo.InvariantCulture, $"intervals from {errors.Count} backtest origins");
        return new Outcome(method, values, w80, w95);
    }

    private sealed record Outcome(string Method, double[] Values, double[] HalfWidth80, double[] HalfWidth95);
}
