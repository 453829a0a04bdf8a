using System.Runtime.CompilerServices;
using IntentVision.Analytics.Numerics;
using MathNet.Numerics.Distributions;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// A causal seasonal hybrid ESD (after Twitter's S-H-ESD, Hochenbaum et al. 2017) on a trailing window:
/// residuals are the values minus their phase median minus the window median, and the newest point's
/// generalised-ESD statistic |R - median| / MAD is compared with the ESD critical value for the window size.
/// The deviation returned is the statistic rescaled so that the critical value maps to
/// <see cref="CriticalDeviation"/> robust SDs, which makes it comparable with the other detectors.
/// </summary>
internal sealed class SeasonalHybridEsdDetector(int window, int warmUp) : IDeviationDetector
{
    /// <summary>Where the ESD critical value lands on the common deviation scale.</summary>
    public const double CriticalDeviation = 4.0;

    private const int RefreshEvery = 256;
    private const double Alpha = 0.05;

    private readonly double[] _values = new double[window];
    private readonly double[] _scratch = new double[window];
    private double[] _phaseMedians = [];
    private double _residualMedian;
    private double _residualScale;
    private double _critical = double.NaN;
    private int _criticalFor = -1;
    private int _period = -1;
    private int _sinceRefresh = RefreshEvery;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Deviation Observe(ValueHistory past, int period, double value, double noiseFloor)
    {
        var n = Math.Min(window, past.Available);
        if (n < Math.Max(warmUp, 2 * Math.Max(period, 1)) || n < 8)
        {
            return Deviation.None(value);
        }

        if (++_sinceRefresh >= RefreshEvery || period != _period)
        {
            Refresh(past, n, period);
        }

        // past.Count is the index the new value will get; its phase follows from it.
        var phase = period >= 2 ? (int)(past.Count % period) : 0;
        var expected = _phaseMedians[phase] + _residualMedian;
        var residual = value - expected;
        var scale = Math.Max(_residualScale, noiseFloor);
        var statistic = ForecastResidualMadDetector.Standardise(residual, scale);
        var z = statistic * CriticalDeviation / CriticalValue(n);
        return new Deviation(expected, z, scale);
    }

    /// <summary>Not consulted for now: the next <see cref="Observe"/> refreshes, as it does when the period changes.</summary>
    public void Pause() => _period = -1;

    public void Save(BinaryWriter writer)
    {
        writer.WriteDoubles(_phaseMedians);
        writer.Write(_residualMedian);
        writer.Write(_residualScale);
        writer.Write(_period);
        writer.Write(_sinceRefresh);
    }

    public void Load(BinaryReader reader)
    {
        _phaseMedians = reader.ReadDoubleArray();
        _residualMedian = reader.ReadDouble();
        _residualScale = reader.ReadDouble();
        _period = reader.ReadInt32();
        _sinceRefresh = reader.ReadInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Refresh(ValueHistory past, int n, int period)
    {
        _sinceRefresh = 0;
        _period = period;
        var m = Math.Max(period, 1);
        past.CopyLatest(_values.AsSpan(0, n));
        var firstIndex = past.Count - n;
        if (_phaseMedians.Length != m)
        {
            _phaseMedians = new double[m];
        }

        // Group the window by phase in one pass: the scratch holds phase p's values at p, p + m, p + 2m...
        var firstPhase = (int)(firstIndex % m);
        for (var p = 0; p < m; p++)
        {
            var offset = ((p - firstPhase) % m + m) % m;
            var k = 0;
            for (var i = offset; i < n; i += m)
            {
                _scratch[k++] = _values[i];
            }

            _phaseMedians[p] = k > 0 ? RobustStatistics.MedianInPlace(_scratch.AsSpan(0, k)) : 0;
        }


        if (m == 1)
        {
            _phaseMedians[0] = 0;
        }
        else
        {
            // Centre the seasonal medians so the window median carries the level, as S-H-ESD does.
            var mean = _phaseMedians.Average();
            for (var p = 0; p < m; p++)
            {
                _phaseMedians[p] -= mean;
            }
        }

        for (var i = 0; i < n; i++)
        {
            _scratch[i] = _values[i] - _phaseMedians[(int)((firstIndex + i) % m)];
        }

        // The window's values are no longer needed: their space is the selection's scratch.
        var residuals = _scratch.AsSpan(0, n);
        _residualMedian = RobustStatistics.MedianOf(residuals, _values);
        for (var i = 0; i < n; i++)
        {
            residuals[i] = Math.Abs(residuals[i] - _residualMedian);
        }

        var mad = RobustStatistics.MedianOf(residuals, _values);
        _residualScale = RobustStatistics.MadToSigma * mad;
    }

    /// <summary>Rosner's critical value for the first ESD step at significance <see cref="Alpha"/>.</summary>
    private double CriticalValue(int n)
    {
        if (n != _criticalFor)
        {
            _critical = Critical(n);
            _criticalFor = n;
        }

        return _critical;
    }

    /// <summary>Critical values by window size, shared by every detector: the Student-t quantile is costly and pure.</summary>
    private static readonly double[] CriticalCache = new double[8193];

    internal static double Critical(int n)
    {
        if (n < CriticalCache.Length && CriticalCache[n] > 0)
        {
            return CriticalCache[n];
        }

        var p = 1 - (Alpha / (2.0 * n));
        var t = StudentT.InvCDF(0, 1, n - 2, p);
        var critical = (n - 1) * t / Math.Sqrt((n - 2 + (t * t)) * n);
        if (n < CriticalCache.Length)
        {
            CriticalCache[n] = critical;
        }

        return critical;
    }
}
