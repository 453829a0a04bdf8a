using BenchmarkDotNet.Attributes;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.Benchmarks;

/// <summary>
/// Anomaly detection per point, as the API's ingest path runs it: one series' <see cref="SeriesAnomalyMonitor"/> fed
/// points in 1,000-point batches. <c>Fresh</c> starts a series (10,000 points from a new monitor, warm-up and
/// the contextual memory's growth included); <c>SteadyState</c> continues a series that has already scored 50,000 points.
/// Each reports the time of one point (OperationsPerInvoke). The deviation-only ensemble, the same monitor without the
/// contextual detector, is the same-run reference.
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    private const int Batch = 1_000;
    private const int FreshPoints = 10_000;
    private const int WarmPoints = 50_000;

    /// <summary>Values repeat after this many points (the noise is drawn once); far longer than any season in them.</summary>
    private const int Cycle = 100_003;

    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly MonitorSettings Ensemble = MonitorSettings.Default with { Detector = AnomalyDetectorOptions.Default with { Kind = AnomalyDetectorKind.Ensemble } };

    private readonly TimedValue[] _batch = new TimedValue[Batch];
    private double[] _values = [];
    private SeriesAnomalyMonitor _steady = null!;
    private SeriesAnomalyMonitor _steadyEnsemble = null!;
    private long _steadyNext;
    private long _steadyEnsembleNext;
    private long _interval = TimeSpan.TicksPerMinute;

    /// <summary>
    /// <c>seasonal</c>: the daily-and-weekly series of <see cref="AnalyticsBenchmarks"/> with uniform noise, one-minute
    /// points; <c>noisy-sine</c>: a slow sine plus a 7-point cycle plus noise, one-minute points; <c>sawtooth</c>: what the
    /// API benchmark ingests (<c>i % 97 * 1.5</c>, one-second points).
    /// </summary>
    [Params("seasonal", "noisy-sine", "sawtooth")]
    public string Series { get; set; } = "seasonal";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _values = new double[Cycle];
        for (var i = 0; i < Cycle; i++)
        {
            _values[i] = Series switch
            {
                "seasonal" => 100 + (0.002 * i) + (10 * Math.Sin(2 * Math.PI * i / 24)) + (i / 24 % 7 >= 5 ? -8 : 0) + (3 * (random.NextDouble() - 0.5)),
                "sawtooth" => i % 97 * 1.5,
                _ => (Math.Sin(i / 60.0) * 10) + (i % 7) + random.NextDouble(),
            };
        }

        _interval = Series == "sawtooth" ? TimeSpan.TicksPerSecond : TimeSpan.TicksPerMinute;

        (_steady, _steadyNext) = (new SeriesAnomalyMonitor(), 0);
        (_steadyEnsemble, _steadyEnsembleNext) = (new SeriesAnomalyMonitor(Ensemble), 0);
        for (var i = 0; i < WarmPoints / Batch; i++)
        {
            Feed(_steady, ref _steadyNext);
            Feed(_steadyEnsemble, ref _steadyEnsembleNext);
        }
    }

    [Benchmark(OperationsPerInvoke = FreshPoints)]
    public int Fresh() => FreshSeries(MonitorSettings.Default);

    [Benchmark(OperationsPerInvoke = FreshPoints, Baseline = true)]
    public int FreshEnsemble() => FreshSeries(Ensemble);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int SteadyState() => Feed(_steady, ref _steadyNext);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int SteadyStateEnsemble() => Feed(_steadyEnsemble, ref _steadyEnsembleNext);

    private int FreshSeries(MonitorSettings settings)
    {
        var monitor = new SeriesAnomalyMonitor(settings);
        long next = 0;
        var stored = 0;
        for (var i = 0; i < FreshPoints / Batch; i++)
        {
            stored += Feed(monitor, ref next);
        }

        return stored;
    }

    /// <summary>The series' next batch (the batch array is reused: the monitor keeps no reference to it).</summary>
    private int Feed(SeriesAnomalyMonitor monitor, ref long next)
    {
        for (var i = 0; i < Batch; i++, next++)
        {
            _batch[i] = new TimedValue(Start.AddTicks(next * _interval), _values[next % Cycle]);
        }

        return monitor.Observe(_batch).Anomalies.Count;
    }
}
