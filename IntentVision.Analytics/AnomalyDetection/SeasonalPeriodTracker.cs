using System.Runtime.CompilerServices;
using IntentVision.Analytics.Seasonality;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Finds, from the past only, which calendar period (a day, a week...) the stream follows, and revisits the
/// choice every half cycle. A period is accepted when the autocorrelation at that lag of the series minus its
/// moving average (which removes trend and slow drift) reaches <see cref="MinimumAutocorrelation"/> over at
/// least three cycles.
/// </summary>
internal sealed class SeasonalPeriodTracker(IReadOnlyList<int> candidates, int historyCapacity)
{
    public const double MinimumAutocorrelation = 0.3;

    private readonly int[] _candidates = candidates.Where(p => p >= 2 && 3 * p <= historyCapacity).Order().ToArray();
    private long _nextCheck;
    private const int CheckEvery = 64;
    private double[] _values = [];
    private double[] _deviation = [];

    public int Period { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Update(ValueHistory past)
    {
        if (_candidates.Length == 0 || past.Count < _nextCheck)
        {
            return;
        }

        var shortest = _candidates[0];
        _nextCheck = past.Count + Math.Max(CheckEvery, shortest / 2);
        var bestPeriod = 0;
        var bestAcf = MinimumAutocorrelation;
        foreach (var period in _candidates)
        {
            var n = Math.Min(past.Available, 8 * period);
            if (n < 3 * period)
            {
                continue;
            }

            var acf = AutocorrelationOfDeviation(past, n, period);
            if (acf >= bestAcf)
            {
                bestAcf = acf;
                bestPeriod = period;
            }
        }

        Period = bestPeriod;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(_nextCheck);
        writer.Write(Period);
    }

    public void Load(BinaryReader reader)
    {
        _nextCheck = reader.ReadInt64();
        Period = reader.ReadInt32();
    }

    private double AutocorrelationOfDeviation(ValueHistory past, int n, int period)
    {
        if (_values.Length < n)
        {
            // Grown geometrically: the sample grows with the history, and a new pair of arrays at every check was most of
            // what a young series allocated.
            var size = Math.Max(n, Math.Min(2 * _values.Length, historyCapacity));
            _values = new double[size];
            _deviation = new double[size];
        }

        var values = _values.AsSpan(0, n);
        past.CopyLatest(values);

        // Deviation from a trailing moving average of one cycle: what is left is the within-cycle pattern.
        var deviation = _deviation.AsSpan(0, n - period);
        var sum = 0.0;
        for (var i = 0; i < period; i++)
        {
            sum += values[i];
        }

        for (var i = period; i < n; i++)
        {
            deviation[i - period] = values[i] - (sum / period);
            sum += values[i] - values[i - period];
        }

        return Autocorrelation.AtLag(deviation, period);
    }
}
