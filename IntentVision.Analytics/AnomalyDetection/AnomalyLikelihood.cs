namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Turns raw anomaly scores in [0, 1] into a normalised score in [0, 1], after Numenta's anomaly likelihood
/// (Ahmad et al. 2017): the mean raw score over the latest <c>shortWindow</c> points is compared with the
/// distribution (mean, standard deviation) of such means over the latest <c>historyWindow</c> points, and the
/// Gaussian upper tail probability p of it is reported on a log scale, -log10(p) / 10, so that p = 1e-5
/// scores 0.5 and p = 1e-10 scores 1. A series whose normal life is noisy raises its own bar; a quiet one
/// lets a small blip through. Every statistic is running (O(1) per point).
/// </summary>
internal sealed class AnomalyLikelihood
{
    /// <summary>Floors on the distribution of mean raw scores (Numenta's): a nearly silent past must not make the slightest blip certain.</summary>
    private const double MinimumMean = 0.03;
    private const double MinimumVariance = 0.0003;

    private readonly double[] _recent;
    private readonly double[] _history;
    private readonly int _learningPeriod;
    private double _recentSum;
    private double _sum;
    private double _sumOfSquares;
    private long _count;
    private long _historyCount;

    public AnomalyLikelihood(int shortWindow, int historyWindow, int learningPeriod)
    {
        _recent = new double[shortWindow];
        _history = new double[historyWindow];
        _learningPeriod = learningPeriod;
    }

    /// <summary>Scores <paramref name="raw"/> against the past, then learns from it. Returns the upper tail probability.</summary>
    public double Update(double raw)
    {
        var slot = (int)(_count % _recent.Length);
        _recentSum += raw - _recent[slot];
        _recent[slot] = raw;
        _count++;
        var mean = _recentSum / Math.Min(_count, _recent.Length);

        var tail = 1.0;
        if (_count > _learningPeriod && _historyCount > 1)
        {
            var n = Math.Min(_historyCount, _history.Length);
            var historyMean = _sum / n;
            var variance = Math.Max((_sumOfSquares / n) - (historyMean * historyMean), 0);
            tail = UpperTail(mean, Math.Max(historyMean, MinimumMean), Math.Sqrt(Math.Max(variance, MinimumVariance)));
        }

        var h = (int)(_historyCount % _history.Length);
        if (_historyCount >= _history.Length)
        {
            var old = _history[h];
            _sum -= old;
            _sumOfSquares -= old * old;
        }

        _history[h] = mean;
        _sum += mean;
        _sumOfSquares += mean * mean;
        _historyCount++;
        if (h == _history.Length - 1)
        {
            // Re-add from scratch once per pass so rounding errors in the running sums cannot accumulate.
            _sum = 0;
            _sumOfSquares = 0;
            foreach (var v in _history)
            {
                _sum += v;
                _sumOfSquares += v * v;
            }
        }

        return tail;
    }

    /// <summary>
    /// Maps the tail probability p to [0, 1) through L = -log10 p: L² / (L² + 25), so p = 1e-5 gives 0.5,
    /// p = 1e-3 about 0.26 and p = 1e-10 0.8. It never saturates, so rarer still always scores higher.
    /// </summary>
    public static double ToLogScore(double tail)
    {
        var l = tail > 0 ? -Math.Log10(tail) : 320;
        if (!(l > 0))
        {
            return 0;
        }

        return l * l / ((l * l) + 25);
    }

    /// <summary>P(X &gt;= x) for X ~ N(mean, sd); 1/2 or more below the mean (only high scores are anomalous).</summary>
    public static double UpperTail(double x, double mean, double sd)
    {
        var z = (x - mean) / sd;
        return 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(z / Math.Sqrt(2));
    }
}
