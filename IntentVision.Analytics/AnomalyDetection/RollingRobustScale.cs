using System.Runtime.CompilerServices;
using IntentVision.Analytics.Numerics;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Robust spread (1.4826 × MAD) of the latest residuals. Recomputed every few additions rather than every one:
/// the scale moves slowly, and a median per point would dominate the cost of scoring.
/// </summary>
internal sealed class RollingRobustScale(int capacity, int refreshEvery = 512)
{
    private const int RecentWindow = 64;

    private readonly ValueHistory _residuals = new(capacity);
    private readonly double[] _scratch = new double[capacity];
    private readonly double[] _selection = new double[capacity];
    private double _scale = double.NaN;
    private double _centre;
    private int _sinceRefresh;

    public int Count => _residuals.Available;

    public double Centre => _centre;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double residual)
    {
        _residuals.Add(residual);
        if (++_sinceRefresh >= refreshEvery || double.IsNaN(_scale) || _residuals.Available < 64)
        {
            Refresh();
        }
    }

    /// <summary>Robust standard deviation; falls back to the mean absolute deviation when over half the residuals are equal.</summary>
    public double Scale => _scale;

    public void Save(BinaryWriter writer)
    {
        _residuals.Save(writer);
        writer.Write(_scale);
        writer.Write(_centre);
        writer.Write(_sinceRefresh);
    }

    public void Load(BinaryReader reader)
    {
        _residuals.Load(reader);
        _scale = reader.ReadDouble();
        _centre = reader.ReadDouble();
        _sinceRefresh = reader.ReadInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Refresh()
    {
        _sinceRefresh = 0;
        var n = _residuals.Available;
        var values = _scratch.AsSpan(0, n);
        var selection = _selection.AsSpan(0, n);
        _residuals.CopyLatest(values);
        var median = RobustStatistics.MedianOf(values, selection);
        var meanAbs = 0.0;
        for (var i = 0; i < n; i++)
        {
            values[i] = Math.Abs(values[i] - median);
            meanAbs += values[i];
        }

        meanAbs /= Math.Max(1, n);
        var mad = RobustStatistics.MedianOf(values, selection);
        _centre = median;
        _scale = mad > 0 ? RobustStatistics.MadToSigma * mad : 1.2533 * meanAbs;

        // The latest stretch alone: when a series turns noisier the long window takes hundreds of points to notice,
        // and every point of the new regime would look anomalous meanwhile.
        var recent = Math.Min(n, RecentWindow);
        if (recent >= 16)
        {
            var tail = selection[..recent];
            for (var i = 0; i < recent; i++)
            {
                tail[i] = Math.Abs(_residuals.Back(i + 1) - median);
            }

            var recentMad = RobustStatistics.MedianInPlace(tail);
            _scale = Math.Max(_scale, RobustStatistics.MadToSigma * recentMad);
        }
    }
}
