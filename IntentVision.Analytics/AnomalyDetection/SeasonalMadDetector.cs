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

    /// <summary>The departures again, kept sorted as they arrive: their median is read at every point.</summary>
    private readonly SortedWindow _departureOrder = new(Math.Max(levelWindow, 1));
    private readonly double[] _phase = new double[cycles];
    private int _lastPeriod;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Deviation Observe(ValueHistory past, int period, double value, double noiseFloor)
    {
        if (period != _lastPeriod)
        {
            // A new season invalidates the departures measured against the old baseline.
            _lastPeriod = period;
            AddDeparture(0);
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
        var correction = _departureOrder.Count > 0 ? _departureOrder.Median() : 0;
        var expected = baseline + correction;
        var residual = value - expected;
        var scale = _scale.Count >= warmUp ? Math.Max(_scale.Scale, noiseFloor) : 0;
        var z = _scale.Count >= warmUp ? ForecastResidualMadDetector.Standardise(residual - _scale.Centre, scale) : 0;
        var centre = _scale.Centre;
        _scale.Add(residual);
        AddDeparture(value - baseline);
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
        _departureOrder.Refill(_departures);
        _lastPeriod = reader.ReadInt32();
    }

    private void AddDeparture(double departure)
    {
        _departures.Add(departure);
        _departureOrder.Add(departure);
    }
}
