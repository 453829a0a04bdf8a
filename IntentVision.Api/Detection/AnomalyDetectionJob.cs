using System.Collections.Concurrent;
using System.Text.Json;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Series;
using IntentVision.Data.Anomalies;
using IntentVision.Data.Metrics;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Detection;

/// <summary>
/// Scores series as their points arrive (ingestion queues them in <see cref="DetectionQueue"/>) and stores the
/// anomalies. Each pass replays the latest window through a fresh <see cref="StreamingAnomalyDetector"/>, so no
/// per-series state has to survive restarts; a watermark per series keeps already reported points from being
/// stored twice, and the (series, ts) key catches the rest.
/// </summary>
public sealed class AnomalyDetectionJob(
    DetectionQueue queue,
    SeriesReader metrics,
    AnomalyRepository anomalies,
    IOptions<DetectionOptions> options,
    IntentVision.Api.Events.EventBroadcaster events,
    ILogger<AnomalyDetectionJob> logger) : BackgroundService
{
    private const int MaxWatermarks = 100_000;

    private readonly ConcurrentDictionary<long, DateTimeOffset> _watermarks = new();

    /// <summary>Processes every series waiting now; returns how many anomalies were stored.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var stored = 0;
        while (queue.TryDequeue(out var series))
        {
            try
            {
                stored += await DetectAsync(series, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Anomaly detection failed for series {SeriesId}", series.SeriesId);
            }
        }

        return stored;
    }

    /// <summary>Scores the latest window of one series and stores anomalies newer than the last pass.</summary>
    public async Task<int> DetectAsync(SeriesRef series, CancellationToken cancellationToken)
    {
        var points = await metrics.ReadLatestAsync(series.SeriesId, options.Value.WindowPoints, cancellationToken: cancellationToken);
        if (points.Count == 0)
        {
            return 0;
        }

        var detector = new StreamingAnomalyDetector();
        var scores = detector.Detect(points.Select(p => new TimedValue(p.Timestamp, p.Value)).ToList());
        var since = _watermarks.GetValueOrDefault(series.SeriesId, DateTimeOffset.MinValue);
        var found = scores
            .Where(s => s.Severity != AnomalySeverity.None && s.Severity >= options.Value.MinimumSeverity && s.Timestamp > since)
            .Select(s => new NewAnomaly(
                series.SeriesId,
                s.Timestamp,
                s.Value,
                double.IsFinite(s.Expected) ? s.Expected : null,
                s.Score,
                SeverityName(s.Severity),
                TypeName(s.Type),
                JsonSerializer.Serialize(new { detector = "ensemble", windowPoints = points.Count, seasonalPeriod = detector.Period })))
            .ToList();
        var added = await anomalies.AddAsync(series.OrganizationId, found, cancellationToken);
        if (added > 0) events.Publish(series.OrganizationId, new IntentVision.Api.Events.AnomalyDetectedEvent(series.SeriesId, added, found.Max(a => a.Timestamp)));
        if (_watermarks.Count > MaxWatermarks)
        {
            // Forgetting only costs a re-check that the unique key absorbs.
            _watermarks.Clear();
        }

        _watermarks[series.SeriesId] = points[^1].Timestamp;
        return added;
    }

    public static string SeverityName(AnomalySeverity severity) => severity.ToString().ToLowerInvariant();

    public static string TypeName(AnomalyType type) => type switch
    {
        AnomalyType.LevelShift => "level_shift",
        AnomalyType.TrendChange => "trend_change",
        _ => "point",
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (await queue.WaitToReadAsync(stoppingToken))
        {
            await DrainAsync(stoppingToken);
        }
    }
}
