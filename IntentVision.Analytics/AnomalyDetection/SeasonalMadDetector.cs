using System.Runtime.CompilerServices;
using IntentVision.Analytics.Numerics;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Seasonal decomposition plus MAD: the expected value is the median of the same phase over the last few
/// cycles (the seasonal-plus-trend estimate), corrected by the median recent departure from it (so a slow
/// level change is followed), and the residual is scored against the MAD of past residuals.
/// Without a detected season it has nothing to add and reports no deviation.
/// </summary>
internal sealed class SeasonalMadDetector(int cycles, int levelWindow, int scaleWindow, int warmUp) : IDeviationDetector
{
    private readonly RollingRobustScale _scale = new(scaleWindow);
    private readonly ValueHistory _departures = new(Math.Max(levelWindow, 1));
    private readonly double[] _phase = new double[cycles];
    private readonly double[] _level = new double[Math.Max(levelWindow, 1)];
    private int _lastPeriod;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Deviation Observe(ValueHistory past, int period, double value, double noiseFloor)
    {
        if (period != _lastPeriod)
        {
            // A new season invalidates the departures measured against the old baseline.
            _lastPeriod = period;
            _departures.Add(0);
        }

        if (period < 2 || !past.Has(2 * period))
        {
            return Deviation.None(value);
        }

        var k = 0;
        for (var c = 1; c <= cycles && past.Has(c * period); c++)
        {
            _phase[k++] = past.Back(c * period);
        }

        var baseline = RobustStatistics.MedianInPlace(_phase.AsSpan(0, k));
        var m = _departures.Available;
        for (var i = 0; i < m; i++)
        {
            _level[i] = _departures.Back(i + 1);
        }

        var correction = m > 0 ? RobustStatistics.MedianInPlace(_level.AsSpan(0, m)) : 0;
        var expected = baseline + correction;
        var residual = value - expected;
        var scale = _scale.Count >= warmUp ? Math.Max(_scale.Scale, noiseFloor) : 0;
        var z = _scale.Count >= warmUp ? ForecastResidualMadDetector.Standardise(residual - _scale.Centre, scale) : 0;
        var centre = _scale.Centre;
        _scale.Add(residual);
        _departures.Add(value - baseline);
        return new Deviation(expected + centre, z, scale);
    }

    public void Save(BinaryWriter writer)
    {
        _scale.Save(writer);
        _departures.Save(writer);
        writer.Write(_lastPeriod);
    }

    public void Load(BinaryReader reader)
    {
        _scale.Load(reader);
        _departures.Load(reader);
        _lastPeriod = reader.ReadInt32();
    }
}
