using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using IntentVision.Analytics.Numerics;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Anomaly detection for one series, fed batch by batch as points arrive; the API and the evaluation harness both
/// use it, with the same semantics. Each batch costs O(its points): the state carries over, nothing is replayed.
/// </summary>
/// <remarks>
/// <para>Order: a batch may come in any order. Its points are taken in timestamp order; of points sharing a timestamp
/// the last one in the batch counts (as in storage, last write wins). A point at or before the latest timestamp
/// already scored is <b>late</b>: the caller stores it, but it is not scored and cannot become an anomaly (the detector
/// has moved past it); it is counted in <see cref="MonitorResult.Late"/>.</para>
/// <para>Warm-up: nothing is stored before <see cref="MonitorSettings.WarmUpPoints"/> points were scored.</para>
/// <para>Storage: a point scoring at least <see cref="MonitorSettings.StoreThreshold"/> is stored, unless it is part of
/// the incident of the previous stored anomaly (within <see cref="MonitorSettings.IncidentLength"/> points of it, no
/// higher score, and the same <see cref="AnomalyPattern"/>), or analyst feedback marked its pattern as normal
/// (<see cref="Feedback"/>). It is stored as a point anomaly at once; when the departure persists over the detector's
/// level window it is revised to a level shift (or a trend change when it keeps moving away).</para>
/// <para>State: <see cref="Snapshot"/> writes all of it (detector, contexts, incident, feedback) in a versioned binary
/// form; <see cref="Restore"/> reads it back, and a restored monitor continues exactly as the original would.</para>
/// </remarks>
public sealed class SeriesAnomalyMonitor
{
    /// <summary>
    /// Version of the snapshot layout; a snapshot of another version (or other settings) is refused. 2: the detector writes
    /// one contextual memory per quantisation (<see cref="AnomalyDetectorOptions.ContextBagging"/>), and the settings
    /// fingerprint covers the bagging and tie-break options.
    /// </summary>
    public const int SnapshotFormat = 2;

    /// <summary>The band of normal values is the expected value plus or minus this many robust standard deviations.</summary>
    public const double BandDeviations = 3;

    private const int Magic = 0x4D415649;

    private readonly MonitorSettings _settings;
    private readonly StreamingAnomalyDetector _detector;
    private readonly string _detectorName;
    private List<AnomalyPattern> _feedback = [];
    private DateTimeOffset? _lastScored;
    private long _scored;
    private int _incidentLeft;
    private double _incidentScore;
    private AnomalyPattern? _incident;
    private OpenIncident? _open;

    public SeriesAnomalyMonitor(MonitorSettings? settings = null)
    {
        _settings = settings ?? MonitorSettings.Default;
        _settings.Validate();
        _detector = new StreamingAnomalyDetector(_settings.Detector);
        _detectorName = DetectorName(_settings.Detector.Kind);
    }

    public MonitorSettings Settings => _settings;

    /// <summary>The latest timestamp scored; points at or before it are late.</summary>
    public DateTimeOffset? LastScored => _lastScored;

    /// <summary>Points scored since the series began (late points excluded).</summary>
    public long ScoredPoints => _scored;

    /// <summary>Whether the warm-up is over, so that a high score can be stored.</summary>
    public bool IsWarm => _scored >= _settings.WarmUpPoints;

    /// <summary>The analyst feedback this series' detection honours (the caller keeps it current).</summary>
    public IReadOnlyList<AnomalyPattern> Feedback
    {
        get => _feedback;
        set => _feedback = [.. value];
    }

    /// <summary>The detector and version named in explanations, e.g. <c>contextual-v2</c>.</summary>
    public string DetectorLabel => _detectorName;

    /// <summary>Scores the new points of a batch and returns the anomalies to store.</summary>
    public MonitorResult Observe(IEnumerable<TimedValue> points) => Observe(points, null);

    /// <summary>
    /// As <see cref="Observe(IEnumerable{TimedValue})"/>, and calls <paramref name="scored"/> with every scored point and its
    /// score (the evaluation harness uses it to compare what is stored with what the detector saw).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public MonitorResult Observe(IEnumerable<TimedValue> points, Action<TimedValue, double>? scored)
    {
        ArgumentNullException.ThrowIfNull(points);
        var batch = InTimestampOrder(points, out var repeated);
        List<DetectedAnomaly>? anomalies = null;
        var late = repeated;
        var count = 0;
        var suppressed = 0;
        foreach (var point in batch)
        {
            if (_lastScored is { } last && point.Timestamp <= last)
            {
                late++;
                continue;
            }

            var assessment = _detector.Add(point);
            _lastScored = point.Timestamp;
            _scored++;
            count++;
            scored?.Invoke(point, assessment.Score);
            if (_open is { } open && open.Add(point.Value) is { } revision)
            {
                _open = null;
                (anomalies ??= []).Add(revision);
            }

            var inIncident = _incidentLeft > 0;
            if (inIncident)
            {
                _incidentLeft--;
            }

            if (_scored <= _settings.WarmUpPoints || assessment.Score < _settings.StoreThreshold)
            {
                continue;
            }

            var deviation = DeviationOf(point.Value, assessment);
            var pattern = new AnomalyPattern(deviation, point.Value >= assessment.Expected ? 1 : -1);
            if (inIncident && assessment.Score <= _incidentScore && _incident!.Matches(pattern))
            {
                continue;
            }

            // A new incident: none open, or stronger evidence, or another pattern (an earlier, weaker or different
            // detection must not hide it).
            _incidentLeft = _settings.IncidentLength;
            _incidentScore = assessment.Score;
            _incident = pattern;
            if (IsMarkedNormal(pattern))
            {
                // The whole incident is the pattern the analyst marked: none of it is stored.
                suppressed++;
                continue;
            }

            var anomaly = Describe(point.Timestamp, point.Value, assessment.Score, assessment.Expected, assessment.Scale, deviation, assessment.Evidence, _detector.SeasonalPeriod, AnomalyType.Point, isRevision: false);
            (anomalies ??= []).Add(anomaly);
            _open = _settings.Detector.LevelWindow > 1 ? new OpenIncident(this, anomaly, _settings.Detector.LevelWindow) : null;
        }

        return anomalies is null && count == 0 && late == 0 ? MonitorResult.Empty : new MonitorResult(anomalies ?? [], count, late, suppressed);
    }

    /// <summary>Feeds points through the detector storing nothing: rebuilds state from stored points after a restore.</summary>
    public void Replay(IEnumerable<TimedValue> points) => _ = Observe(points);

    /// <summary>The whole state, versioned and bound to these settings.</summary>
    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(SnapshotFormat);
            writer.Write(Fingerprint(_settings));
            writer.Write(_lastScored?.UtcTicks ?? -1);
            writer.Write(_scored);
            writer.Write(_incidentLeft);
            writer.Write(_incidentScore);
            WritePattern(writer, _incident);
            writer.Write(_open is not null);
            _open?.Save(writer);
            writer.Write(_feedback.Count);
            foreach (var rule in _feedback)
            {
                WritePattern(writer, rule);
            }

            _detector.Save(writer);
        }

        return stream.ToArray();
    }

    /// <summary>
    /// A monitor in the state <paramref name="snapshot"/> recorded. Throws <see cref="InvalidDataException"/> when the
    /// snapshot is damaged, of another format version, or was made with other settings (the caller then rebuilds).
    /// </summary>
    public static SeriesAnomalyMonitor Restore(ReadOnlySpan<byte> snapshot, MonitorSettings? settings = null)
    {
        var monitor = new SeriesAnomalyMonitor(settings);
        try
        {
            using var stream = new MemoryStream(snapshot.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            StateBinary.Expect(reader.ReadInt32() == Magic, "not a monitor snapshot");
            StateBinary.Expect(reader.ReadInt32() == SnapshotFormat, "another snapshot format");
            StateBinary.Expect(reader.ReadBytes(16).AsSpan().SequenceEqual(Fingerprint(monitor._settings)), "other settings");
            var last = reader.ReadInt64();
            monitor._lastScored = last >= 0 ? new DateTimeOffset(last, TimeSpan.Zero) : null;
            monitor._scored = reader.ReadInt64();
            monitor._incidentLeft = reader.ReadInt32();
            monitor._incidentScore = reader.ReadDouble();
            monitor._incident = ReadPattern(reader);
            if (reader.ReadBoolean())
            {
                monitor._open = OpenIncident.Load(monitor, reader);
            }

            var rules = reader.ReadInt32();
            StateBinary.Expect(rules is >= 0 and <= 1 << 16, "feedback count");
            for (var i = 0; i < rules; i++)
            {
                monitor._feedback.Add(ReadPattern(reader) ?? throw new InvalidDataException("detector snapshot: empty feedback pattern"));
            }

            monitor._detector.Load(reader);
            StateBinary.Expect(stream.Position == stream.Length, "trailing bytes");
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"detector snapshot unreadable: {e.Message}", e);
        }

        return monitor;
    }

    /// <summary>As <see cref="Restore"/>, or null when the snapshot cannot be used.</summary>
    public static SeriesAnomalyMonitor? TryRestore(ReadOnlySpan<byte> snapshot, MonitorSettings? settings = null)
    {
        try
        {
            return Restore(snapshot, settings);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>
    /// Severity needs magnitude as well as surprise: the score's class (0.9 critical, 0.75 high, 0.5 medium, 0.25 low),
    /// capped by how far the value lies from the expected one. Inside the band (under 3 robust SDs) an anomaly is at most
    /// low, under 6 at most medium; without a measurable spread (null deviation) the score alone decides.
    /// </summary>
    public static AnomalySeverity SeverityOf(double score, double? deviation)
    {
        var surprise = score switch
        {
            >= 0.9 => AnomalySeverity.Critical,
            >= 0.75 => AnomalySeverity.High,
            >= 0.5 => AnomalySeverity.Medium,
            >= 0.25 => AnomalySeverity.Low,
            _ => AnomalySeverity.None,
        };
        var magnitude = Math.Abs(deviation ?? double.PositiveInfinity) switch
        {
            < BandDeviations => AnomalySeverity.Low,
            < 2 * BandDeviations => AnomalySeverity.Medium,
            _ => AnomalySeverity.Critical,
        };
        return (AnomalySeverity)Math.Min((int)surprise, (int)magnitude);
    }

    private bool IsMarkedNormal(AnomalyPattern pattern)
    {
        foreach (var marked in _feedback)
        {
            if (marked.Matches(pattern))
            {
                return true;
            }
        }

        return false;
    }

    private static void WritePattern(BinaryWriter writer, AnomalyPattern? pattern)
    {
        writer.Write(pattern?.Direction ?? 0);
        writer.Write(pattern?.Deviation ?? double.NaN);
    }

    private static AnomalyPattern? ReadPattern(BinaryReader reader)
    {
        var direction = reader.ReadInt32();
        var deviation = reader.ReadDouble();
        StateBinary.Expect(direction is -1 or 0 or 1, "pattern direction");
        return direction == 0 ? null : new AnomalyPattern(double.IsNaN(deviation) ? null : deviation, direction);
    }

    /// <summary>Robust SDs from the expected value, signed; null while the detector has no spread to judge by.</summary>
    private static double? DeviationOf(double value, PointAssessment assessment) =>
        assessment.Scale > 0 ? (value - assessment.Expected) / assessment.Scale : null;

    private DetectedAnomaly Describe(DateTimeOffset timestamp, double value, double score, double expected, double scale, double? deviation, AnomalyEvidence evidence, TimeSpan? seasonalPeriod, AnomalyType type, bool isRevision)
    {
        var lower = expected - (BandDeviations * scale);
        var upper = expected + (BandDeviations * scale);
        var summary = AnomalySummary.Compose(type, evidence, value, expected, lower, upper, deviation, seasonalPeriod);
        var explanation = new AnomalyExplanation(expected, lower, upper, deviation, _detectorName, seasonalPeriod, type, evidence, summary);
        return new DetectedAnomaly(timestamp, value, score, SeverityOf(score, deviation), explanation, isRevision);
    }

    private static string DetectorName(AnomalyDetectorKind kind) => kind switch
    {
        AnomalyDetectorKind.Contextual => "contextual-v2",
        AnomalyDetectorKind.Ensemble => "ensemble-v2",
        AnomalyDetectorKind.ForecastResidualMad => "mad-residual-v2",
        AnomalyDetectorKind.SeasonalMad => "seasonal-mad-v2",
        _ => "seasonal-hybrid-esd-v2",
    };

    /// <summary>A hash of every setting by name and invariant value: a snapshot made under other settings is refused.</summary>
    private static byte[] Fingerprint(MonitorSettings settings)
    {
        var text = new StringBuilder();
        foreach (var source in new object[] { settings, settings.Detector })
        {
            foreach (var property in source.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0 && !p.PropertyType.IsClass).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                text.Append(property.Name).Append('=').Append(Convert.ToString(property.GetValue(source), CultureInfo.InvariantCulture)).Append(';');
            }
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))[..16];
    }

    /// <summary>Points of a batch in timestamp order, the last of equal timestamps kept; <paramref name="repeated"/> counts the others.</summary>
    private static TimedValue[] InTimestampOrder(IEnumerable<TimedValue> points, out int repeated)
    {
        var batch = points as TimedValue[] ?? points.ToArray();
        var ordered = true;
        for (var i = 0; i < batch.Length; i++)
        {
            if (!double.IsFinite(batch[i].Value))
            {
                // The parameter name is formatted only for the error: per point it was the batch check's whole cost.
                SeriesValidator.RequireFinite(batch[i].Value, $"points[{i}].Value");
            }

            ordered &= i == 0 || batch[i].Timestamp > batch[i - 1].Timestamp;
        }

        repeated = 0;
        if (ordered)
        {
            return batch;
        }

        // Stable by arrival, so that of equal timestamps the last one is the one kept.
        var sorted = batch.Select((p, i) => (Point: p, Index: i)).OrderBy(p => p.Point.Timestamp).ThenBy(p => p.Index).ToList();
        var result = new List<TimedValue>(sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i + 1 < sorted.Count && sorted[i + 1].Point.Timestamp == sorted[i].Point.Timestamp)
            {
                repeated++;
                continue;
            }

            result.Add(sorted[i].Point);
        }

        return [.. result];
    }

    /// <summary>
    /// A stored anomaly whose type is not settled yet: the values from it onwards are collected over the level window;
    /// when their median lies outside the band on the anomaly's side the departure persisted (a level shift, or a trend
    /// change when each value lies further out than the one before).
    /// </summary>
    private sealed class OpenIncident
    {
        private readonly SeriesAnomalyMonitor _owner;
        private readonly DetectedAnomaly _anomaly;
        private readonly double _scale;
        private readonly double[] _values;
        private int _count;

        public OpenIncident(SeriesAnomalyMonitor owner, DetectedAnomaly anomaly, int window, double scale = double.NaN)
        {
            _owner = owner;
            _anomaly = anomaly;
            var e = anomaly.Explanation;
            _scale = double.IsNaN(scale) ? (e.Upper - e.Lower) / (2 * BandDeviations) : scale;
            _values = new double[window];
            _values[0] = anomaly.Value;
            _count = 1;
        }

        /// <summary>Takes the next value; returns the revision once the window is full and the type is not a point.</summary>
        public DetectedAnomaly? Add(double value)
        {
            _values[_count++] = value;
            if (_count < _values.Length)
            {
                return null;
            }

            _owner._open = null;
            var e = _anomaly.Explanation;
            var up = _anomaly.Value >= e.Expected;
            var median = RobustStatistics.Median(_values);
            var persisted = up ? median > e.Upper : median < e.Lower;
            if (!persisted)
            {
                return null;
            }

            var ramp = true;
            for (var i = 1; i < _values.Length && ramp; i++)
            {
                ramp = Math.Abs(_values[i] - e.Expected) > Math.Abs(_values[i - 1] - e.Expected) && (_values[i] >= e.Expected) == up;
            }

            return _owner.Describe(_anomaly.Timestamp, _anomaly.Value, _anomaly.Score, e.Expected, _scale, e.Deviation, e.Evidence, e.SeasonalPeriod, ramp ? AnomalyType.TrendChange : AnomalyType.LevelShift, isRevision: true);
        }

        public void Save(BinaryWriter writer)
        {
            var e = _anomaly.Explanation;
            writer.Write(_anomaly.Timestamp.UtcTicks);
            writer.Write(_anomaly.Value);
            writer.Write(_anomaly.Score);
            writer.Write(e.Expected);
            writer.Write(_scale);
            writer.Write(e.Deviation ?? double.NaN);
            writer.Write((int)e.Evidence);
            writer.Write(e.SeasonalPeriod?.Ticks ?? -1);
            writer.WriteDoubles(_values.AsSpan(0, _count));
        }

        public static OpenIncident Load(SeriesAnomalyMonitor owner, BinaryReader reader)
        {
            var timestamp = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var value = reader.ReadDouble();
            var score = reader.ReadDouble();
            var expected = reader.ReadDouble();
            var scale = reader.ReadDouble();
            var deviation = reader.ReadDouble();
            var evidence = (AnomalyEvidence)reader.ReadInt32();
            var period = reader.ReadInt64();
            var anomaly = owner.Describe(timestamp, value, score, expected, scale, double.IsNaN(deviation) ? null : deviation, evidence, period >= 0 ? TimeSpan.FromTicks(period) : null, AnomalyType.Point, isRevision: false);
            var incident = new OpenIncident(owner, anomaly, owner._settings.Detector.LevelWindow, scale);
            incident._count = reader.ReadDoubles(incident._values);
            StateBinary.Expect(incident._count is >= 1 && incident._count < incident._values.Length, "open incident");
            return incident;
        }
    }
}
