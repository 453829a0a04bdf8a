using BenchmarkDotNet.Attributes;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Forecasting;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.Benchmarks;

/// <summary>
/// Fitting and forecasting a 10,000-point hourly series 48 steps ahead, and scoring 10,000 points, each against
/// seasonal naive in the same run as the reference.
/// </summary>
[MemoryDiagnoser]
public class AnalyticsBenchmarks
{
    private readonly SeriesForecaster _forecaster = new();
    private TimedValue[] _series = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _series = Enumerable.Range(0, 10_000)
            .Select(i => new TimedValue(
                start.AddHours(i),
                100 + (0.002 * i) + (10 * Math.Sin(2 * Math.PI * i / 24)) + (i / 24 % 7 >= 5 ? -8 : 0) + (3 * (random.NextDouble() - 0.5))))
            .ToArray();
    }

    [Benchmark(Baseline = true)]
    public ForecastResult SeasonalNaiveForecast() => _forecaster.Forecast(_series, new ForecastRequest(48, TimeSpan.FromHours(1), "snaive"));

    [Benchmark]
    public ForecastResult AutoForecast() => _forecaster.Forecast(_series, new ForecastRequest(48, TimeSpan.FromHours(1)));

    [Benchmark]
    public ForecastResult MstlEtsForecast() => _forecaster.Forecast(_series, new ForecastRequest(48, TimeSpan.FromHours(1), "mstl-ets"));

    /// <summary>Detection as the API runs it: one series' monitor fed 10,000 points (in 100 batches of 100).</summary>
    [Benchmark]
    public int ScoreTenThousandPoints() => Monitor(MonitorSettings.Default);

    /// <summary>The deviation ensemble alone, for comparison with the contextual default.</summary>
    [Benchmark]
    public int ScoreTenThousandPointsEnsemble() => Monitor(MonitorSettings.Default with { Detector = AnomalyDetectorOptions.Default with { Kind = AnomalyDetectorKind.Ensemble } });

    private int Monitor(MonitorSettings settings)
    {
        var monitor = new SeriesAnomalyMonitor(settings);
        var stored = 0;
        for (var start = 0; start < _series.Length; start += 100)
        {
            stored += monitor.Observe(_series.AsSpan(start, 100).ToArray()).Anomalies.Count;
        }

        return stored;
    }
}
