using System.Runtime.CompilerServices;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Forecasts each point as the median of the few points before it (a robust one-step forecast that a single
/// spike cannot drag), and scores the residual against the MAD of past residuals.
/// </summary>
internal sealed class ForecastResidualMadDetector(int window, int scaleWindow, int warmUp) : IDeviationDetector
{
    private readonly RollingRobustScale _scale = new(scaleWindow);

    /// <summary>The latest <c>window</c> values of the history, kept sorted as they arrive (no sort per point).</summary>
    private readonly SortedWindow _recent = new(window);

    /// <summary>The history's count <see cref="_recent"/> mirrors; any other (a restored detector) refills it.</summary>
    private long _recentThrough = -1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Deviation Observe(ValueHistory past, int period, double value, double noiseFloor)
    {
        if (past.Available == 0)
        {
            return Deviation.None(value);
        }

        if (_recentThrough != past.Count)
        {
            _recent.Refill(past);
        }

        var expected = _recent.Median();
        var residual = value - expected;
        var scale = _scale.Count >= warmUp ? Math.Max(_scale.Scale, noiseFloor) : 0;
        var z = _scale.Count >= warmUp ? Standardise(residual - _scale.Centre, scale) : 0;
        var centre = _scale.Centre;
        _scale.Add(residual);

        // The caller adds the value to the history next (the value follows the history it is scored against).
        _recent.Add(value);
        _recentThrough = past.Count + 1;
        return new Deviation(expected + centre, z, scale);
    }

    public void Save(BinaryWriter writer) => _scale.Save(writer);

    public void Load(BinaryReader reader) => _scale.Load(reader);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Standardise(double residual, double scale)
    {
        if (scale > 0)
        {
            return Math.Abs(residual) / scale;
        }

        // A perfectly flat past: any change at all is as anomalous as it gets.
        return residual == 0 ? 0 : 1e6;
    }
}
