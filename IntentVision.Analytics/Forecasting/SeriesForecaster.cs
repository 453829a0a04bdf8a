using System.Globalization;
using System.Text;
using IntentVision.Analytics.Seasonality;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// The forecasting entry point: regularises the history, finds its seasonalities, fits the requested method
/// (or, for "auto", validates candidates on the series' own tail and combines the best), sizes prediction
/// intervals from backtest errors, and keeps forecasts and bands inside the series' domain.
/// Pure computation: no I/O, no clock.
/// </summary>
public sealed class SeriesForecaster(ForecastOptions? options = null)
{
    private static readonly string[] MethodNames =
    [
        "auto", "naive", "snaive", "naive2", "ses", "holt", "damped", "theta", "comb", "ets", "hw-additive",
        "hw-multiplicative", "mstl-ets", "mstl-theta", "mstl-ets-log", "mstl-theta-log", AutoCandidates.LongestSeasonalNaive,
        AutoCandidates.CycleSeasonalNaive, AutoCandidates.CycleMstlTheta,
    ];

    /// <summary>Below this many points nothing but the last value can be forecast.</summary>
    private const int MinimumForModels = 4;

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

        var domain = ForecastDomain.Of(all);
        var candidates = SeasonalPeriodCandidates.For(series.Frequency);
        var primary = request.SeasonalPeriod ?? (candidates.Count > 0 ? candidates.Min() : 1);
        var detected = SeasonalityDetector.Detect(y, candidates);
        var horizon = request.Horizon;
        ForecastOutcome outcome;
        if (IsConstant(y))
        {
            info.Append("constant series: the last value is repeated with zero-width intervals; ");
            var flat = new double[horizon];
            Array.Fill(flat, y[^1]);
            outcome = new ForecastOutcome("constant", flat, PredictionIntervals.Zero(horizon, "zero-width intervals"));
        }
        else if (n < MinimumForModels)
        {
            info.Append(CultureInfo.InvariantCulture, $"fallback: {n} points are too few to fit anything; the last value is repeated; ");
            outcome = new ForecastOutcome("naive", new NaiveForecaster().Forecast(y, horizon).Values, PredictionIntervals.RandomWalk(y, horizon));
        }
        else
        {
            var cycle = DominantCycle.Find(y, detected);
            info.Append(CultureInfo.InvariantCulture, $"seasonal periods detected: {(detected.Count == 0 ? "none" : string.Join(", ", detected))} (calendar candidates {(candidates.Count == 0 ? "none" : string.Join(", ", candidates))}; primary season {primary}{(cycle is { } c ? $"; the data's own cycle: {c}" : string.Empty)}); ");
            var method = request.Method.ToLowerInvariant();
            outcome = method == "auto"
                ? new AutoForecaster(_options.BacktestOrigins).Forecast(y, horizon, primary, detected, cycle, domain, info)
                : Named(method, y, horizon, primary, detected, cycle, domain, info);
        }

        info.Append(outcome.Intervals.Description);
        if (domain.IsBounded)
        {
            info.Append("; ").Append(domain.Describe());
        }

        var points = new ForecastPoint[horizon];
        for (var h = 0; h < horizon; h++)
        {
            var value = outcome.Values[h] * scale;
            var w80 = outcome.Intervals.HalfWidth80[h] * scale;
            var w95 = outcome.Intervals.HalfWidth95[h] * scale;
            points[h] = domain.Clip(new ForecastPoint(series.TimestampAt(all.Count + h), value, value - w80, value + w80, value - w95, value + w95));
        }

        return new ForecastResult(points, outcome.Method, info.ToString(), series.Frequency, detected, series.FilledGaps);
    }

    /// <summary>Creates a named method for a series with the given primary season, detected seasons and own cycle.</summary>
    public static IPointForecaster CreateMethod(string method, int primaryPeriod, IReadOnlyList<int> seasonalPeriods, int? cycle = null) => method switch
    {
        "naive" => new NaiveForecaster(),
        "snaive" => new SeasonalNaiveForecaster(primaryPeriod),
        "naive2" => new Naive2Forecaster(primaryPeriod),
        "ses" => new SeasonallyAdjustedForecaster("ses", primaryPeriod, TrendKind.None),
        "holt" => new SeasonallyAdjustedForecaster("holt", primaryPeriod, TrendKind.Additive),
        "damped" => new SeasonallyAdjustedForecaster("damped", primaryPeriod, TrendKind.DampedAdditive),
        "theta" => new ThetaForecaster(primaryPeriod),
        "comb" => new MeanForecaster("comb", [CreateMethod("ses", primaryPeriod, seasonalPeriods), CreateMethod("holt", primaryPeriod, seasonalPeriods), CreateMethod("damped", primaryPeriod, seasonalPeriods)]),
        "ets" => new AutoExponentialSmoothingForecaster(primaryPeriod),
        "hw-additive" => new ExponentialSmoothingForecaster("hw-additive", TrendKind.DampedAdditive, SeasonKind.Additive, primaryPeriod),
        "hw-multiplicative" => new ExponentialSmoothingForecaster("hw-multiplicative", TrendKind.DampedAdditive, SeasonKind.Multiplicative, primaryPeriod),
        "mstl-ets" => new MstlForecaster(seasonalPeriods, AdjustedSeriesModel.ExponentialSmoothing),
        "mstl-theta" => new MstlForecaster(seasonalPeriods, AdjustedSeriesModel.Theta),
        "mstl-ets-log" => new MstlForecaster(seasonalPeriods, AdjustedSeriesModel.ExponentialSmoothing, logScale: true),
        "mstl-theta-log" => new MstlForecaster(seasonalPeriods, AdjustedSeriesModel.Theta, logScale: true),

        // Without the season or cycle they are for, these fall back to the primary season's versions.
        AutoCandidates.LongestSeasonalNaive => new SeasonalNaiveForecaster(seasonalPeriods.Count > 0 ? seasonalPeriods.Max() : primaryPeriod, AutoCandidates.LongestSeasonalNaive),
        AutoCandidates.CycleSeasonalNaive => new SeasonalNaiveForecaster(cycle ?? primaryPeriod, AutoCandidates.CycleSeasonalNaive),
        AutoCandidates.CycleMstlTheta => new MstlForecaster(cycle is { } c ? [c] : seasonalPeriods, AdjustedSeriesModel.Theta, false, new DecompositionCache(), AutoCandidates.CycleMstlTheta),
        _ => throw new ArgumentException($"unknown forecast method '{method}'; known: {string.Join(", ", MethodNames)}.", nameof(method)),
    };

    private static void ValidateRequest(ForecastRequest request)
    {
        if (request.Horizon is < 1 or > 100_000)
        {
            throw new ArgumentException($"request.Horizon must be between 1 and 100000, got {request.Horizon}.", nameof(request));
        }

        if (request.SeasonalPeriod is < 1 or > 100_000)
        {
            throw new ArgumentException($"request.SeasonalPeriod must be between 1 and 100000, got {request.SeasonalPeriod}.", nameof(request));
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

    private static bool IsConstant(double[] y)
    {
        var min = y.Min();
        var max = y.Max();
        return max - min <= 1e-12 * Math.Max(1, Math.Abs(max));
    }

    private ForecastOutcome Named(string method, double[] y, int horizon, int primary, IReadOnlyList<int> detected, int? cycle, ForecastDomain domain, StringBuilder info)
    {
        // Holt-Winters keeps a state per phase and needs two full seasons to start them.
        if (method.StartsWith("hw-", StringComparison.Ordinal) && y.Length < 2 * Math.Max(primary, 2))
        {
            var fit = AutoExponentialSmoothingForecaster.SelectFit(y, 1, allowSeasonal: false);
            info.Append(CultureInfo.InvariantCulture, $"fallback: '{method}' needs {2 * Math.Max(primary, 2)} points, had {y.Length}; used {fit.Describe()}; ");
            return new ForecastOutcome("ets", domain.Clip(fit.Forecast(horizon)), PredictionIntervals.RandomWalk(y, horizon));
        }

        var forecaster = CreateMethod(method, primary, detected, cycle);
        var forecast = forecaster.Forecast(y, horizon);
        info.Append(CultureInfo.InvariantCulture, $"method '{method}' as requested: {forecast.Description}; ");
        var plan = RollingOrigins.Plan(y.Length, horizon, AutoForecaster.MinimumFit(primary, y.Length), _options.BacktestOrigins);
        var intervals = plan.Count > 0
            ? PredictionIntervals.FromBacktests(plan.Errors(forecaster, y, domain), horizon)
            : PredictionIntervals.RandomWalk(y, horizon);
        return new ForecastOutcome(forecaster.Name, domain.Clip(forecast.Values), intervals);
    }
}
