using IntentVision.Analytics.Numerics;
using IntentVision.Analytics.Seasonality;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Scores a metric stream point by point, each from the points before it only. Feed points in timestamp
/// order with <see cref="Add"/>; one instance holds the state of one series.
/// </summary>
public sealed class StreamingAnomalyDetector
{
    private const int HistoryCapacity = 8192;
    private const int FrequencySample = 16;

    private readonly AnomalyDetectorOptions _options;
    private readonly ValueHistory _past = new(HistoryCapacity);
    private readonly ValueHistory _deseasonalised;
    private readonly ForecastResidualMadDetector _residual;
    private readonly SeasonalMadDetector _seasonal;
    private readonly SeasonalHybridEsdDetector _esd;
    private readonly List<DateTimeOffset> _firstTimestamps = new(FrequencySample);
    private readonly double[] _scratch;
    private readonly SortedWindow _reference;
    private readonly ValueHistory _recentZ;
    private readonly RollingRobustScale _valueSpread;
    private readonly SlidingMaximum _pastPointExtremes;
    private readonly SlidingMaximum _pastLevelExtremes;
    private double _quantum = double.PositiveInfinity;
    private SeasonalPeriodTracker? _periods;
    private DateTimeOffset? _lastTimestamp;
    private readonly AnomalyLikelihood? _likelihood;
    private int _suppressedFor;
    private readonly ContextualAnomalyDetector? _contextual;
    private readonly SlidingMaximum? _recentRaw;
    private double _low = double.PositiveInfinity;
    private double _high = double.NegativeInfinity;
    private long _seen;

    public StreamingAnomalyDetector(AnomalyDetectorOptions? options = null)
    {
        _options = options ?? AnomalyDetectorOptions.Default;
        if (_options.ScaleWindow < 16 || _options.WarmUp < 1 || _options.SeasonalCycles < 1 || _options.LevelWindow < 1 || _options.ReferenceWindow < 4 || _options.HalfScoreDeviation <= 0 || _options.RepeatSuppression < 0
            || _options.LikelihoodWindow < 1 || _options.LikelihoodHistory < 2 || _options.LearningPeriod < 0 || _options.DetectionSuppression < 0
            || _options.ContextBits is < 1 or > 12 || _options.ContextRestPeriod < 0 || _options.SpatialMargin < 0 || _options.ContextCapacity is < 1 or >= 65536
            || _options.MaxActiveContexts < 1 || _options.MaxCandidates < 0)
        {
            throw new ArgumentException($"invalid anomaly detector options: {_options}.", nameof(options));
        }

        _residual = new ForecastResidualMadDetector(7, _options.ScaleWindow, _options.WarmUp);
        _seasonal = new SeasonalMadDetector(_options.SeasonalCycles, 12, _options.ScaleWindow, _options.WarmUp);
        _esd = new SeasonalHybridEsdDetector(Math.Min(_options.ScaleWindow, HistoryCapacity), _options.WarmUp);
        _deseasonalised = new ValueHistory(_options.LevelWindow + _options.ReferenceWindow);
        _scratch = new double[_options.LevelWindow];
        _reference = new SortedWindow(_options.ReferenceWindow);
        _valueSpread = new RollingRobustScale(_options.ScaleWindow);
        _pastPointExtremes = new SlidingMaximum(_options.ExtremesWindow);
        _pastLevelExtremes = new SlidingMaximum(_options.ExtremesWindow);
        _recentZ = new ValueHistory(Math.Max(1, _options.RepeatSuppression));
        _likelihood = _options.Likelihood ? new AnomalyLikelihood(_options.LikelihoodWindow, _options.LikelihoodHistory, _options.LearningPeriod) : null;
        if (_options.Kind is AnomalyDetectorKind.Contextual or AnomalyDetectorKind.Hybrid)
        {
            _contextual = new ContextualAnomalyDetector(_options.ContextBits, _options.MaxActiveContexts, 8, _options.ContextCapacity, _options.MaxCandidates);
            _recentRaw = _options.ContextRestPeriod > 0 ? new SlidingMaximum(_options.ContextRestPeriod) : null;
        }

        if (_options.Frequency is { } f)
        {
            _periods = new SeasonalPeriodTracker(SeasonalPeriodCandidates.For(f), HistoryCapacity);
        }
    }

    /// <summary>Seasonal period (in samples) the detector currently follows; 0 when none.</summary>
    public int Period => _periods?.Period ?? 0;

    public long Count => _past.Count;

    /// <summary>Scores every point of <paramref name="series"/> in order (continuing this detector's state).</summary>
    public IReadOnlyList<AnomalyScore> Detect(IReadOnlyList<TimedValue> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        SeriesValidator.RequireFinite(series, nameof(series));
        var result = new AnomalyScore[series.Count];
        for (var i = 0; i < series.Count; i++)
        {
            result[i] = Add(series[i]);
        }

        return result;
    }

    public AnomalyScore Add(TimedValue point)
    {
        SeriesValidator.RequireFinite(point.Value, "point.Value");
        if (_lastTimestamp is { } last && point.Timestamp < last)
        {
            throw new ArgumentException($"point.Timestamp {point.Timestamp:O} is earlier than the previous point ({last:O}); feed points in order.", nameof(point));
        }

        _lastTimestamp = point.Timestamp;
        TrackFrequency(point.Timestamp);
        _periods?.Update(_past);
        var period = Period;
        var value = point.Value;

        var (contextual, spatial) = _contextual is not null ? Contextual(value) : (0, false);
        var floor = NoiseFloor();
        var residual = _residual.Observe(_past, period, value, floor);
        var seasonal = _seasonal.Observe(_past, period, value, floor);
        var esd = _esd.Observe(_past, period, value, floor);
        var (pointDeviation, expected) = _options.Kind switch
        {
            AnomalyDetectorKind.ForecastResidualMad => (residual.Z, residual.Expected),
            AnomalyDetectorKind.SeasonalMad => period >= 2 ? (seasonal.Z, seasonal.Expected) : (residual.Z, residual.Expected),
            AnomalyDetectorKind.SeasonalHybridEsd => (esd.Z, esd.Expected),
            _ => Combine(residual, seasonal, esd, period),
        };

        var deseasonalisedValue = period >= 2 && _past.Has(period) ? value - _past.Back(period) : value;
        var (levelDeviation, isRamp) = _options.Kind is AnomalyDetectorKind.Ensemble or AnomalyDetectorKind.Contextual or AnomalyDetectorKind.Hybrid
            ? LevelShift(deseasonalisedValue, floor)
            : (0, false);
        if (_past.Available > 0 && value != _past.Back(1))
        {
            _quantum = Math.Min(_quantum, Math.Abs(value - _past.Back(1)));
        }

        _valueSpread.Add(value);
        _past.Add(value);

        // Each kind of evidence is held to its own past extremes: a spike does not mask the shift that follows it.
        var pointRelative = RelativeToPastExtremes(pointDeviation, _pastPointExtremes);
        var levelRelative = RelativeToPastExtremes(levelDeviation, _pastLevelExtremes);
        var reported = Suppress(Math.Max(pointRelative, levelRelative));
        var score = ToScore(reported);
        var deviationScore = score;
        if (_likelihood is not null)
        {
            // The raw score for the likelihood: a softer curve than ToScore (z² / (z² + h²)), so that moderate
            // deviations still register and a run of them can add up.
            var r = reported / _options.HalfScoreDeviation;
            score = AnomalyLikelihood.ToLogScore(_likelihood.Update(r * r / (1 + (r * r))));
        }

        if (_options.Kind == AnomalyDetectorKind.Contextual)
        {
            // A value beyond the range seen so far (by the margin) is anomalous whatever the contexts say.
            score = spatial ? 1 : Math.Max(contextual, _options.DeviationWeight * deviationScore);
        }
        else if (_options.Kind == AnomalyDetectorKind.Hybrid)
        {
            score = spatial ? 1 : (score + contextual) / 2;
        }

        score = SuppressAfterDetection(score);

        // Severity needs magnitude as well as surprise: a surprising point (a novel context or a new extreme, score 0.5
        // or more) is at least Low, and its deviation from the expected value (the ensemble's score) decides beyond that.
        var severity = _contextual is null
            ? SeverityOf(score)
            : (AnomalySeverity)Math.Max((int)SeverityOf(deviationScore), score >= 0.5 ? (int)AnomalySeverity.Low : 0);
        var type = severity == AnomalySeverity.None
            ? AnomalyType.None
            : levelRelative >= pointRelative ? (isRamp ? AnomalyType.TrendChange : AnomalyType.LevelShift) : AnomalyType.Point;
        return new AnomalyScore(point.Timestamp, value, expected, score, severity, type);
    }

    /// <summary>
    /// The contextual reading of a value: it is quantised into one of 2^<see cref="AnomalyDetectorOptions.ContextBits"/>
    /// bins of the range seen so far and scored by the <see cref="ContextualAnomalyDetector"/>; the raw score is kept only
    /// when it beats every raw score of the rest period before it. Spatial: the value lies beyond the range seen so far
    /// by more than <see cref="AnomalyDetectorOptions.SpatialMargin"/> of it.
    /// </summary>
    private (double Score, bool Spatial) Contextual(double value)
    {
        _seen++;
        var range = _high - _low;
        var spatial = _seen > _options.WarmUp && range > 0
            && (value > _high + (_options.SpatialMargin * range) || value < _low - (_options.SpatialMargin * range));
        _low = Math.Min(_low, value);
        _high = Math.Max(_high, value);
        range = _high - _low;
        var bins = 1 << _options.ContextBits;
        var bin = range > 0 ? Math.Clamp((int)((value - _low) / range * bins), 0, bins - 1) : 0;
        var raw = _contextual!.Step(bin);
        if (range == 0)
        {
            // A series that has never moved has no bins to learn: nothing in it is contextually surprising.
            raw = 0;
        }

        var recentMax = _recentRaw?.Maximum ?? 0;
        _recentRaw?.Add(raw);
        if (_seen <= _options.WarmUp)
        {
            return (0, false);
        }

        return (raw > recentMax ? raw : 0, spatial);
    }

    /// <summary>Maps a deviation in robust SDs to [0, 1]: a Hill curve that is 0.5 at <see cref="AnomalyDetectorOptions.HalfScoreDeviation"/>.</summary>
    public double ToScore(double z)
    {
        if (!(z > 0))
        {
            return 0;
        }

        var r = z / _options.HalfScoreDeviation;
        var r4 = r * r * r * r;
        return double.IsPositiveInfinity(r4) ? 1 : r4 / (1 + r4);
    }

    public static AnomalySeverity SeverityOf(double score) => score switch
    {
        >= 0.9 => AnomalySeverity.Critical,
        >= 0.75 => AnomalySeverity.High,
        >= 0.5 => AnomalySeverity.Medium,
        >= 0.25 => AnomalySeverity.Low,
        _ => AnomalySeverity.None,
    };

    private static (double Z, double Expected) Combine(Deviation residual, Deviation seasonal, Deviation esd, int period)
    {
        if (period >= 2)
        {
            // With a season, the short forecast misreads every steep seasonal slope; the two seasonal views decide.
            var z = Math.Min(seasonal.Z, Math.Max(esd.Z, residual.Z));
            return (z, seasonal.Expected);
        }

        return (Math.Min(residual.Z, Math.Max(esd.Z, residual.Z)), residual.Expected);
    }

    /// <summary>
    /// Level-shift evidence: the median of the latest points against the median of the reference window before
    /// them, in units of that window's robust spread. A ramp (each latest point further out than the one before)
    /// is reported as a trend change.
    /// </summary>
    /// <summary>
    /// The series' resolution: its quantisation step, or 1% of the spread of its values, whichever is larger.
    /// Below it a deviation is measurement granularity, not behaviour; without it a near-deterministic stretch
    /// would make the next rounding difference look infinitely anomalous.
    /// </summary>
    private double NoiseFloor()
    {
        var spread = _valueSpread.Count > 0 ? _valueSpread.Scale : 0;
        var quantum = double.IsFinite(_quantum) ? _quantum : 0;
        return Math.Max(quantum, 0.01 * (double.IsFinite(spread) ? spread : 0));
    }

    private (double Z, bool Ramp) LevelShift(double value, double floor)
    {
        _deseasonalised.Add(value);
        var k = _options.LevelWindow;
        var l = _options.ReferenceWindow;
        if (_deseasonalised.Has(k + 1))
        {
            // The value leaving the latest k joins the reference window (a sorted window of the l before them).
            _reference.Add(_deseasonalised.Back(k + 1));
        }

        if (_deseasonalised.Available < k + l)
        {
            return (0, false);
        }

        var recent = _scratch.AsSpan(0, k);
        for (var i = 0; i < k; i++)
        {
            recent[i] = _deseasonalised.Back(i + 1);
        }

        var recentMedian = RobustStatistics.MedianInPlace(recent);
        var referenceMedian = _reference.Median();
        var spread = RobustStatistics.MadToSigma * _reference.MedianAbsoluteDeviation(referenceMedian);
        var shift = recentMedian - referenceMedian;
        // Standard error of a difference of two medians of k and l Gaussian points: sigma sqrt(pi/2 (1/k + 1/l)).
        var standardError = Math.Sqrt(Math.PI / 2 * ((1.0 / k) + (1.0 / l)));
        var z = ForecastResidualMadDetector.Standardise(shift, Math.Max(spread, floor) * standardError);
        var ramp = true;
        for (var i = 1; i < k && ramp; i++)
        {
            var newer = Math.Abs(_deseasonalised.Back(i) - referenceMedian);
            var older = Math.Abs(_deseasonalised.Back(i + 1) - referenceMedian);
            ramp = newer > older;
        }

        return (z, ramp);
    }

    /// <summary>
    /// A deviation counts in full only where the series has not produced as large a one recently: a metric whose
    /// normal life includes 30-sigma bursts should not alert on the next 30-sigma burst, but one that never
    /// exceeded 4 sigma should. Up to <see cref="AnomalyDetectorOptions.HalfScoreDeviation"/> nothing changes;
    /// beyond it the deviation is rescaled so that matching the recent maximum lands on the half score.
    /// </summary>
    private double RelativeToPastExtremes(double z, SlidingMaximum pastExtremes)
    {
        var pastMax = pastExtremes.Maximum;
        pastExtremes.Add(z);
        var half = _options.HalfScoreDeviation;
        return pastMax <= half ? z : Math.Min(z, half * z / pastMax);
    }

    /// <summary>After a score of 0.5 or more, the next <see cref="AnomalyDetectorOptions.DetectionSuppression"/> scores are halved.</summary>
    private double SuppressAfterDetection(double score)
    {
        if (_suppressedFor > 0)
        {
            _suppressedFor--;
            return score / 2;
        }

        if (score >= 0.5)
        {
            _suppressedFor = _options.DetectionSuppression;
        }

        return score;
    }

    private double Suppress(double z)
    {
        if (_options.RepeatSuppression == 0)
        {
            return z;
        }

        var recentMax = 0.0;
        for (var i = 1; i <= _recentZ.Available; i++)
        {
            recentMax = Math.Max(recentMax, _recentZ.Back(i));
        }

        _recentZ.Add(z);

        // Evidence no stronger than what was already reported recently belongs to the same incident.
        return z > recentMax ? z : z / 2;
    }

    private void TrackFrequency(DateTimeOffset timestamp)
    {
        if (_periods is not null)
        {
            return;
        }

        _firstTimestamps.Add(timestamp);
        if (_firstTimestamps.Count < FrequencySample)
        {
            return;
        }

        var gaps = new double[_firstTimestamps.Count - 1];
        for (var i = 1; i < _firstTimestamps.Count; i++)
        {
            gaps[i - 1] = (_firstTimestamps[i] - _firstTimestamps[i - 1]).Ticks;
        }

        var median = RobustStatistics.MedianInPlace(gaps);
        var frequency = median > 0 ? TimeSpan.FromTicks((long)median) : TimeSpan.FromHours(1);
        _periods = new SeasonalPeriodTracker(SeasonalPeriodCandidates.For(frequency), HistoryCapacity);
    }
}
