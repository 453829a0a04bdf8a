using System.Collections.Concurrent;
using System.Diagnostics;
using IntentVision.Analytics.Forecasting;
using IntentVision.Analytics.Series;

namespace IntentVision.Evaluation.M4;

/// <summary>Forecasts every series with one method and averages the M4 measures.</summary>
public sealed class M4Evaluator(SeriesForecaster forecaster)
{
    public const int Horizon = 48;
    public const int SeasonalPeriod = 24;

    /// <summary>M4 series have no timestamps; they are laid on an hourly grid from an arbitrary origin.</summary>
    private static readonly DateTimeOffset Origin = new(2000, 1, 3, 0, 0, 0, TimeSpan.Zero);

    public M4MethodScore Evaluate(IReadOnlyList<M4Series> series, string method, int degreeOfParallelism)
    {
        var smape = new double[series.Count];
        var mase = new double[series.Count];
        var inside80 = new int[series.Count];
        var inside95 = new int[series.Count];
        var chosen = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        Parallel.For(0, series.Count, new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism }, i =>
        {
            var s = series[i];
            var regular = new RegularSeries(Origin, TimeSpan.FromHours(1), s.Train, 0, 0);
            var result = forecaster.Forecast(regular, new ForecastRequest(Horizon, TimeSpan.FromHours(1), method));
            var forecast = result.Points.Select(p => p.Value).ToArray();
            smape[i] = ForecastAccuracy.SymmetricMape(s.Test, forecast);
            mase[i] = ForecastAccuracy.Mase(s.Train, s.Test, forecast, SeasonalPeriod);
            for (var h = 0; h < Horizon; h++)
            {
                var p = result.Points[h];
                inside80[i] += s.Test[h] >= p.Lower80 && s.Test[h] <= p.Upper80 ? 1 : 0;
                inside95[i] += s.Test[h] >= p.Lower95 && s.Test[h] <= p.Upper95 ? 1 : 0;
            }

            chosen.AddOrUpdate(result.Method, 1, (_, c) => c + 1);
        });
        watch.Stop();
        var points = (double)series.Count * Horizon;
        return new M4MethodScore(method, smape.Average(), mase.Average(), inside80.Sum() / points, inside95.Sum() / points, watch.Elapsed, chosen);
    }
}
