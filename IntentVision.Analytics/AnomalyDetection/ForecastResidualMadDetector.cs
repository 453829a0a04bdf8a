using System.Runtime.CompilerServices;
using IntentVision.Analytics.Numerics;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Forecasts each point as the median of the few points before it (a robust one-step forecast that a single
/// spike cannot drag), and scores the residual against the MAD of past residuals.
/// </summary>
internal sealed class ForecastResidualMadDetector(int window, int scaleWindow, int warmUp) : IDeviationDetector
{
    private readonly RollingRobustScale _scale = new(scaleWindow);
    private readonly double[] _scratch = new double[window];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Deviation Observe(ValueHistory past, int period, double value, double noiseFloor)
    {
        var k = Math.Min(window, past.Available);
        if (k == 0)
        {
            return Deviation.None(value);
        }

        for (var i = 0; i < k; i++)
        {
            _scratch[i] = past.Back(i + 1);
        }

        var expected = RobustStatistics.MedianInPlace(_scratch.AsSpan(0, k));
        var residual = value - expected;
        var scale = _scale.Count >= warmUp ? Math.Max(_scale.Scale, noiseFloor) : 0;
        var z = _scale.Count >= warmUp ? Standardise(residual - _scale.Centre, scale) : 0;
        var centre = _scale.Centre;
        _scale.Add(residual);
        return new Deviation(expected + centre, z, scale);
    }

    public void Save(BinaryWriter writer) => _scale.Save(writer);

    public void Load(BinaryReader reader) => _scale.Load(reader);

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
