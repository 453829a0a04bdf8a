using System.Numerics;
using System.Runtime.CompilerServices;
using IntentVision.Analytics.Numerics;
using IntentVision.Analytics.Seasonality;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Scores a metric stream point by point, each from the points before it only. One instance holds the state of one
/// series; <see cref="SeriesAnomalyMonitor"/> is its only user outside tests and decides the order points arrive in
/// (strictly increasing timestamps), so this class does not check it.
/// The per-point methods here and in the components are marked <see cref="MethodImplOptions.AggressiveOptimization"/>:
/// detection runs inside the ingest writer's transaction, and tiered JIT left them unoptimised for a long while after
/// start (measured at 4 µs a point instead of under 1).
/// </summary>
internal sealed class StreamingAnomalyDetector
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
    private readonly SortedWindow _recentLevel;
    private readonly SortedWindow _reference;
    private readonly double _levelStandardError;
    private readonly SlidingMaximum _recentZ;
    private readonly RollingRobustScale _valueSpread;
    private readonly SlidingMaximum _pastPointExtremes;
    private readonly SlidingMaximum _pastLevelExtremes;
    private double _quantum = double.PositiveInfinity;
    private SeasonalPeriodTracker? _periods;
    private TimeSpan? _frequency;
    private readonly ContextualAnomalyDetector[]? _contextual;
    private readonly ContextQuantisation[] _quantisations = [];
    private readonly SlidingMaximum? _recentRaw;
    private readonly bool _meanByMultiplying;
    private readonly double _quantisationReciprocal;
    private double _low = double.PositiveInfinity;
    private double _high = double.NegativeInfinity;
    private long _seen;
    private int _levelPeriod;

    public StreamingAnomalyDetector(AnomalyDetectorOptions? options = null)
    {
        _options = options ?? AnomalyDetectorOptions.Default;
        _options.Validate();
        _residual = new ForecastResidualMadDetector(7, _options.ScaleWindow, _options.WarmUp);
        _seasonal = new SeasonalMadDetector(_options.SeasonalCycles, 12, _options.ScaleWindow, _options.WarmUp);
        _esd = new SeasonalHybridEsdDetector(Math.Min(_options.ScaleWindow, HistoryCapacity), _options.WarmUp);
        _deseasonalised = new ValueHistory(_options.LevelWindow + _options.ReferenceWindow);
        _recentLevel = new SortedWindow(_options.LevelWindow);
        _reference = new SortedWindow(_options.ReferenceWindow);

        // Standard error of a difference of two medians of k and l Gaussian points: sigma sqrt(pi/2 (1/k + 1/l)).
        _levelStandardError = Math.Sqrt(Math.PI / 2 * ((1.0 / _options.LevelWindow) + (1.0 / _options.ReferenceWindow)));
        _valueSpread = new RollingRobustScale(_options.ScaleWindow);
        _pastPointExtremes = new SlidingMaximum(_options.ExtremesWindow);
        _pastLevelExtremes = new SlidingMaximum(_options.ExtremesWindow);
        _recentZ = new SlidingMaximum(Math.Max(1, _options.RepeatSuppression));
        if (_options.Kind is AnomalyDetectorKind.Contextual)
        {
            _quantisations = ContextQuantisation.For(_options);
            _contextual = [.. _quantisations.Select(q => new ContextualAnomalyDetector(q.Bits, _options.MaxActiveContexts, 8, _options.ContextCapacity, _options.MaxCandidates))];
            _recentRaw = _options.ContextRestPeriod > 0 ? new SlidingMaximum(_options.ContextRestPeriod) : null;
            _meanByMultiplying = BitOperations.IsPow2(_quantisations.Length);
            _quantisationReciprocal = 1.0 / _quantisations.Length;
        }

        if (_options.Frequency is { } f)
        {
            StartSeasonality(f);
        }
    }

    /// <summary>Seasonal period (in samples) the detector currently follows; 0 when none.</summary>
    public int Period => _periods?.Period ?? 0;

    /// <summary>The sampling interval: given in the options, or the median spacing of the first points; null before that.</summary>
    public TimeSpan? Frequency => _frequency;

    /// <summary>The seasonal period as a duration; null when the detector follows none.</summary>
    public TimeSpan? SeasonalPeriod => Period >= 2 && _frequency is { } f ? f * Period : null;

    public long Count => _past.Count;

    /// <summary>Contexts the contextual detector has learned (0 for the other kinds): its memory grows with novelty.</summary>
    public int ContextCount => _contextual?.Sum(c => c.ContextCount) ?? 0;

    /// <summary>Scores every point of <paramref name="series"/> in order (continuing this detector's state).</summary>
    public IReadOnlyList<PointAssessment> Detect(IReadOnlyList<TimedValue> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var result = new PointAssessment[series.Count];
        for (var i = 0; i < series.Count; i++)
        {
            result[i] = Add(series[i]);
        }

        return result;
    }

    /// <summary>Scores the point from the history before it, then learns it. Timestamps must increase (the caller's rule).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public PointAssessment Add(TimedValue point)
    {
        if (!double.IsFinite(point.Value))
        {
            // Only a failing check calls out: the validator's call, made for every point, was not inlined.
            SeriesValidator.RequireFinite(point.Value, "point.Value");
        }

        if (_periods is null)
        {
            TrackFrequency(point.Timestamp);
        }

        _periods?.Update(_past);
        var period = Period;
        var value = point.Value;

        var (contextual, spatial) = _contextual is not null ? Contextual(value) : (0, false);
        var floor = NoiseFloor();
        var residual = _residual.Observe(_past, period, value, floor);
        var seasonal = _seasonal.Observe(_past, period, value, floor);
        // Without a season the ESD reading cannot change the ensemble's verdict (min(r, max(e, r)) is r): its cost is skipped,
        // and it refreshes on the next call, as it would have on a change of period.
        Deviation esd;
        if (period >= 2 || _options.Kind == AnomalyDetectorKind.SeasonalHybridEsd)
        {
            esd = _esd.Observe(_past, period, value, floor);
        }
        else
        {
            esd = Deviation.None(value);
            _esd.Pause();
        }
        var (pointDeviation, expected) = _options.Kind switch
        {
            AnomalyDetectorKind.ForecastResidualMad => (residual.Z, residual),
            AnomalyDetectorKind.SeasonalMad => seasonal.Scale > 0 ? (seasonal.Z, seasonal) : (residual.Z, residual),
            AnomalyDetectorKind.SeasonalHybridEsd => (esd.Z, esd),
            _ => Combine(residual, seasonal, esd, period),
        };

        if (period != _levelPeriod)
        {
            // Level evidence is read off the value minus its value a period back: with another period it means something
            // else, and the windows start again rather than mistake the change of meaning for a shift.
            _levelPeriod = period;
            _deseasonalised.Clear();
            _recentLevel.Clear();
            _reference.Clear();
        }

        var deseasonalisedValue = period >= 2 && _past.Has(period) ? value - _past.Back(period) : value;
        var levelDeviation = _options.Kind is AnomalyDetectorKind.Ensemble or AnomalyDetectorKind.Contextual
            ? LevelShift(deseasonalisedValue, floor)
            : 0;
        if (_past.Available > 0 && value != _past.Back(1))
        {
            _quantum = Math.Min(_quantum, Math.Abs(value - _past.Back(1)));
        }

        _valueSpread.Add(value);
        _past.Add(value);

        // Each kind of evidence is held to its own past extremes: a spike does not mask the shift that follows it.
        var pointRelative = RelativeToPastExtremes(pointDeviation, _pastPointExtremes);
        var levelRelative = RelativeToPastExtremes(levelDeviation, _pastLevelExtremes);
        var deviationScore = ToScore(Suppress(Math.Max(pointRelative, levelRelative)));
        if (_contextual is null)
        {
            return new PointAssessment(deviationScore, expected.Expected, expected.Scale, deviationScore > 0 ? AnomalyEvidence.Deviation : AnomalyEvidence.None);
        }

        // A value beyond the range seen so far (by the margin) is anomalous whatever the contexts say; otherwise the
        // contexts' surprise, with the deviation's score (weighted) as a floor so a large deviation is never normal.
        var floorScore = _options.DeviationWeight * deviationScore;
        var (score, evidence) = spatial
            ? (1.0, AnomalyEvidence.NewExtreme)
            : contextual >= floorScore
                ? (contextual, contextual > 0 ? AnomalyEvidence.Pattern : AnomalyEvidence.None)
                : (floorScore, AnomalyEvidence.Deviation);

        // The tie-break: how far the value departs from its expectation orders otherwise equal scores, and lifts a pattern
        // the deviation confirms above one it does not (a no-op at 0 and for a new extreme, which already scores 1).
        score += _options.DeviationTieBreak * (1 - score) * deviationScore;
        if (evidence is AnomalyEvidence.None && score > 0)
        {
            evidence = AnomalyEvidence.Deviation;
        }

        return new PointAssessment(score, expected.Expected, expected.Scale, evidence);
    }

    /// <summary>
    /// The contextual reading of a value: it is quantised on each grid of <see cref="ContextQuantisation.For"/> (bins of the
    /// range seen so far) and scored by that grid's <see cref="ContextualAnomalyDetector"/>; the raw score, the grids' mean,
    /// is kept only when it beats every raw score of the rest period before it. Spatial: the value lies beyond the range
    /// seen so far by more than <see cref="AnomalyDetectorOptions.SpatialMargin"/> of it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Score, bool Spatial) Contextual(double value)
    {
        _seen++;
        var range = _high - _low;
        var spatial = _seen > _options.WarmUp && range > 0
            && (value > _high + (_options.SpatialMargin * range) || value < _low - (_options.SpatialMargin * range));
        _low = Math.Min(_low, value);
        _high = Math.Max(_high, value);
        range = _high - _low;
        // With several quantisations (ContextBagging) the raw score is their mean: every grid learns its own contexts.
        var raw = 0.0;
        // Grids of one size (shifted edges) share the division that places the value; it is the same expression, so the
        // same bits, as each grid working it out.
        var scaled = 0.0;
        var scaledBits = 0;
        for (var q = 0; q < _quantisations.Length; q++)
        {
            var quantisation = _quantisations[q];
            var bin = 0;
            if (range > 0)
            {
                if (quantisation.Bits != scaledBits)
                {
                    scaled = quantisation.Scaled(value, _low, range);
                    scaledBits = quantisation.Bits;
                }

                bin = quantisation.BinOfScaled(scaled);
            }

            raw += _contextual![q].Step(bin);
        }

        // A division by a power of two is the multiplication by its reciprocal, bit for bit (both round the same exact value).
        raw = _meanByMultiplying ? raw * _quantisationReciprocal : raw / _quantisations.Length;
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double ToScore(double z)
    {
        if (!(z > 0))
        {
            return 0;
        }

        var r = z / _options.HalfScoreDeviation;
        var r4 = r * r * r * r;
        return double.IsPositiveInfinity(r4) ? 1 : r4 / (1 + r4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double Z, Deviation Expected) Combine(Deviation residual, Deviation seasonal, Deviation esd, int period)
    {
        if (period >= 2 && seasonal.Scale > 0)
        {
            // With a season, the short forecast misreads every steep seasonal slope; the two seasonal views decide
            // (once the seasonal baseline has a scale of its own).
            var z = Math.Min(seasonal.Z, Math.Max(esd.Z, residual.Z));
            return (z, seasonal);
        }

        return (Math.Min(residual.Z, Math.Max(esd.Z, residual.Z)), residual);
    }

    /// <summary>
    /// The series' resolution: its quantisation step, or 1% of the spread of its values, whichever is larger.
    /// Below it a deviation is measurement granularity, not behaviour; without it a near-deterministic stretch
    /// would make the next rounding difference look infinitely anomalous.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double NoiseFloor()
    {
        var spread = _valueSpread.Count > 0 ? _valueSpread.Scale : 0;
        var quantum = double.IsFinite(_quantum) ? _quantum : 0;
        return Math.Max(quantum, 0.01 * (double.IsFinite(spread) ? spread : 0));
    }

    /// <summary>
    /// Level-shift evidence: the median of the latest points against the median of the reference window before
    /// them, in units of the standard error of that difference.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double LevelShift(double value, double floor)
    {
        _deseasonalised.Add(value);
        _recentLevel.Add(value);
        var k = _options.LevelWindow;
        var l = _options.ReferenceWindow;
        if (_deseasonalised.Has(k + 1))
        {
            // The value leaving the latest k joins the reference window (a sorted window of the l before them).
            _reference.Add(_deseasonalised.Back(k + 1));
        }

        if (_deseasonalised.Available < k + l)
        {
            return 0;
        }

        var recentMedian = _recentLevel.Median();
        var referenceMedian = _reference.Median();
        var spread = RobustStatistics.MadToSigma * _reference.MedianAbsoluteDeviation(referenceMedian);
        var shift = recentMedian - referenceMedian;
        return ForecastResidualMadDetector.Standardise(shift, Math.Max(spread, floor) * _levelStandardError);
    }

    /// <summary>
    /// A deviation counts in full only where the series has not produced as large a one recently: a metric whose
    /// normal life includes 30-sigma bursts should not alert on the next 30-sigma burst, but one that never
    /// exceeded 4 sigma should. Up to <see cref="AnomalyDetectorOptions.HalfScoreDeviation"/> nothing changes;
    /// beyond it the deviation is rescaled so that matching the recent maximum lands on the half score.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double RelativeToPastExtremes(double z, SlidingMaximum pastExtremes)
    {
        var pastMax = pastExtremes.Maximum;
        pastExtremes.Add(z);
        var half = _options.HalfScoreDeviation;
        return pastMax <= half ? z : Math.Min(z, half * z / pastMax);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Suppress(double z)
    {
        if (_options.RepeatSuppression == 0)
        {
            return z;
        }

        var recentMax = _recentZ.Maximum;
        _recentZ.Add(z);

        // Evidence no stronger than what was already reported recently belongs to the same incident.
        return z > recentMax ? z : z / 2;
    }

    /// <summary>Samples the first timestamps until the sampling interval is known (the caller checks that it is not yet).</summary>
    private void TrackFrequency(DateTimeOffset timestamp)
    {
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
        StartSeasonality(median > 0 ? TimeSpan.FromTicks((long)median) : TimeSpan.FromHours(1));
    }

    private void StartSeasonality(TimeSpan frequency)
    {
        _frequency = frequency;
        _periods = new SeasonalPeriodTracker(SeasonalPeriodCandidates.For(frequency), HistoryCapacity);
    }

    /// <summary>
    /// Writes everything the detector has learned, component by component, so that <see cref="Load"/> on a detector
    /// made with the same options continues exactly as this one would. Scratch buffers and caches are not written.
    /// </summary>
    public void Save(BinaryWriter writer)
    {
        _past.Save(writer);
        _deseasonalised.Save(writer);
        _residual.Save(writer);
        _seasonal.Save(writer);
        _esd.Save(writer);
        writer.Write(_firstTimestamps.Count);
        foreach (var t in _firstTimestamps)
        {
            writer.Write(t.UtcTicks);
        }

        _reference.Save(writer);
        _recentZ.Save(writer);
        _valueSpread.Save(writer);
        _pastPointExtremes.Save(writer);
        _pastLevelExtremes.Save(writer);
        writer.Write(_quantum);
        writer.Write(_frequency?.Ticks ?? -1);
        if (_periods is not null)
        {
            _periods.Save(writer);
        }

        writer.Write(_low);
        writer.Write(_high);
        writer.Write(_seen);
        writer.Write(_levelPeriod);
        foreach (var contextual in _contextual ?? [])
        {
            contextual.Save(writer);
        }

        _recentRaw?.Save(writer);
    }

    public void Load(BinaryReader reader)
    {
        _past.Load(reader);
        _deseasonalised.Load(reader);
        _recentLevel.Refill(_deseasonalised);
        _residual.Load(reader);
        _seasonal.Load(reader);
        _esd.Load(reader);
        var sampled = reader.ReadInt32();
        StateBinary.Expect(sampled is >= 0 and <= FrequencySample, "frequency sample");
        _firstTimestamps.Clear();
        for (var i = 0; i < sampled; i++)
        {
            _firstTimestamps.Add(new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero));
        }

        _reference.Load(reader);
        _recentZ.Load(reader);
        _valueSpread.Load(reader);
        _pastPointExtremes.Load(reader);
        _pastLevelExtremes.Load(reader);
        _quantum = reader.ReadDouble();
        var frequency = reader.ReadInt64();
        if (frequency > 0)
        {
            StartSeasonality(TimeSpan.FromTicks(frequency));
            _periods!.Load(reader);
        }

        _low = reader.ReadDouble();
        _high = reader.ReadDouble();
        _seen = reader.ReadInt64();
        _levelPeriod = reader.ReadInt32();
        foreach (var contextual in _contextual ?? [])
        {
            contextual.Load(reader);
        }

        _recentRaw?.Load(reader);
    }
}
