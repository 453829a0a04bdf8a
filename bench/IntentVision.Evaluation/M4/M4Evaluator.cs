using System.Collections.Concurrent;
using System.Diagnostics;
using IntentVision.Analytics.Forecasting;
using IntentVision.Analytics.Series;

namespace IntentVision.Evaluation.M4;

/// <summary>
/// Forecasts every series of one frequency with one method, through <see cref="SeriesForecaster"/> (the API's
/// path), and averages the M4 measures. Naive2, OWA's denominator, is fitted on the whole history as M4 fits it,
/// so that it reproduces the published Naive2; every other method sees what the API would give it.
/// </summary>
/// <param name="options">The forecaster's options (default: the API's); naive2 always sees the whole history.</param>
public sealed class M4Evaluator(M4Frequency frequency, ForecastOptions? options = null)
{
    /// <summary>M4 series have no timestamps; they are laid on the frequency's grid from an arbitrary origin.</summary>
    private static readonly DateTimeOffset Origin = new(2000, 1, 3, 0, 0, 0, TimeSpan.Zero);

    private readonly SeriesForecaster _product = new(options);
    private readonly SeriesForecaster _wholeHistory = new((options ?? ForecastOptions.Default) with { MaxHistoryPoints = int.MaxValue });

    public M4MethodScore Evaluate(IReadOnlyList<M4Series> series, string method, int degreeOfParallelism)
    {
        var horizon = frequency.Horizon;
        var forecaster = method == "naive2" ? _wholeHistory : _product;
        var smape = new double[series.Count];
        var mase = new double[series.Count];
        var inside80 = new int[series.Count];
        var inside95 = new int[series.Count];
        var chosen = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        Parallel.For(0, series.Count, new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism }, i =>
        {
            var s = series[i];
            var regular = new RegularSeries(Origin, frequency.Step, s.Train, 0, 0);
            var request = new ForecastRequest(horizon, frequency.Step, method, frequency.SeasonalLag);
            var result = forecaster.Forecast(regular, request);
            var forecast = result.Points.Select(p => p.Value).ToArray();
            smape[i] = ForecastAccuracy.SymmetricMape(s.Test, forecast);
            mase[i] = ForecastAccuracy.Mase(s.Train, s.Test, forecast, frequency.SeasonalLag);
            for (var h = 0; h < horizon; h++)
            {
                var p = result.Points[h];
                inside80[i] += s.Test[h] >= p.Lower80 && s.Test[h] <= p.Upper80 ? 1 : 0;
                inside95[i] += s.Test[h] >= p.Lower95 && s.Test[h] <= p.Upper95 ? 1 : 0;
            }

            chosen.AddOrUpdate(result.Method, 1, (_, c) => c + 1);
        });
        watch.Stop();
        var points = (double)series.Count * horizon;
        return new M4MethodScore(method, smape.Average(), mase.Average(), inside80.Sum() / points, inside95.Sum() / points, watch.Elapsed, chosen);
    }
}
