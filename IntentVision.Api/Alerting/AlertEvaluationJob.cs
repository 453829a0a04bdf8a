using System.Text.Json;
using IntentVision.Analytics.Alerting;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Forecasting;
using IntentVision.Analytics.Series;
using IntentVision.Api.Jobs;
using IntentVision.Data.Alerts;
using IntentVision.Data.Anomalies;
using IntentVision.Data.Forecasts;
using IntentVision.Data.Metrics;
using IntentVision.Data.Series;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Alerting;

/// <summary>
/// Evaluates every enabled rule against every series it matches and moves alerts through
/// pending → firing → (acknowledged) → resolved. One open alert per rule and series (the dedup key); notifications
/// go out when an alert fires and when a fired one resolves, never while a suppression window covers the rule.
/// </summary>
public sealed class AlertEvaluationJob(
    AlertRuleRepository rules,
    AlertRepository alerts,
    SeriesRepository series,
    SeriesReader metrics,
    AnomalyRepository anomalies,
    ForecastRepository forecasts,
    WebhookNotifier notifier,
    IOptions<AlertingOptions> options,
    TimeProvider time,
    ILogger<AlertEvaluationJob> logger) : PeriodicJob<AlertingOptions>(options, time, logger)
{
    private static readonly string[] OpenStates = ["pending", "firing", "acknowledged"];

    public override async Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var rule in await rules.ListEnabledAsync(cancellationToken))
        {
            try
            {
                await EvaluateRuleAsync(ParsedAlertRule.From(rule), now, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Alert rule {RuleId} could not be evaluated", rule.Id);
            }
        }
    }

    private async Task EvaluateRuleAsync(ParsedAlertRule parsed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rule = parsed.Rule;
        var suppressed = parsed.Suppression.Any(w => w.Covers(now));
        var matching = await series.SearchAsync(rule.OrganizationId, new SeriesFilter(rule.MetricKey, null, rule.DimensionFilter, Limit: 1000), cancellationToken);
        var pending = TimeSpan.FromSeconds(parsed.Condition.PendingSeconds ?? 0);
        foreach (var s in matching)
        {
            var evaluation = await EvaluateAsync(rule.Kind, parsed.Condition, s, now, cancellationToken);
            var dedupKey = $"series:{s.Id}";
            var open = await alerts.FindOpenAsync(rule.Id, dedupKey, cancellationToken);
            var message = $"{rule.Name}: {s.MetricKey} {evaluation.Reason}";
            if (evaluation.Firing)
            {
                if (open is null)
                {
                    if (suppressed)
                    {
                        continue;
                    }

                    var state = pending > TimeSpan.Zero ? "pending" : "firing";
                    var opened = await alerts.OpenAsync(rule.OrganizationId, rule.Id, s.Id, dedupKey, state, message, evaluation.ObservedValue, evaluation.Since ?? now, cancellationToken);
                    if (opened is { State: "firing" })
                    {
                        await NotifyAsync(parsed, opened, "firing", cancellationToken);
                    }
                }
                else if (open.State == "pending" && now - open.StartedAt >= pending && !suppressed)
                {
                    if (await alerts.TransitionAsync(open.Id, ["pending"], "firing", message, evaluation.ObservedValue, cancellationToken) is { } fired)
                    {
                        await NotifyAsync(parsed, fired, "firing", cancellationToken);
                    }
                }
                else
                {
                    await alerts.TransitionAsync(open.Id, [open.State], open.State, message, evaluation.ObservedValue, cancellationToken);
                }
            }
            else if (open is not null)
            {
                var wasFired = open.State is "firing" or "acknowledged";
                if (await alerts.TransitionAsync(open.Id, OpenStates, "resolved", message, evaluation.ObservedValue, cancellationToken) is { } resolved && wasFired && !suppressed)
                {
                    await NotifyAsync(parsed, resolved, "resolved", cancellationToken);
                }
            }
        }
    }

    private async Task<AlertEvaluation> EvaluateAsync(string kind, AlertCondition c, TimeSeries s, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case "threshold":
            {
                var duration = TimeSpan.FromSeconds(c.DurationSeconds ?? 0);
                var points = await ReadAsync(s.Id, now - duration - TimeSpan.FromHours(1), now, cancellationToken);
                return AlertRuleEvaluator.Evaluate(new ThresholdRule(Operator(c.Operator), c.Threshold ?? 0, duration), points, now);
            }

            case "anomaly":
            {
                var lookback = TimeSpan.FromSeconds(c.LookbackSeconds ?? 3600);
                var scores = (await anomalies.ListForSeriesAsync(s.Id, now - lookback, cancellationToken))
                    .Select(a => new AnomalyScore(a.Timestamp, a.Value, a.Expected ?? double.NaN, a.Score, Severity(a.Severity), AnomalyType.Point))
                    .ToList();
                return AlertRuleEvaluator.Evaluate(new AnomalySeverityRule(Severity(c.MinimumSeverity ?? "high"), lookback), scores, now);
            }

            case "forecast_breach":
            {
                var latest = await forecasts.LatestForSeriesAsync(s.Id, cancellationToken);
                var points = latest?.Points.Select(p => new ForecastPoint(p.Timestamp, p.Value, p.Lower80, p.Upper80, p.Lower95, p.Upper95)).ToList() ?? [];
                return AlertRuleEvaluator.Evaluate(new ForecastThresholdRule(Operator(c.Operator), c.Threshold ?? 0, TimeSpan.FromSeconds(c.HorizonSeconds ?? 3600), c.UseUpper95 ?? false), points, now);
            }

            case "rate_of_change":
            {
                var lookback = TimeSpan.FromSeconds(c.LookbackSeconds ?? 3600);
                var points = await ReadAsync(s.Id, now - lookback, now, cancellationToken);
                return AlertRuleEvaluator.Evaluate(new RateOfChangeRule(c.MaxChangePerUnit ?? 0, TimeSpan.FromSeconds(c.UnitSeconds ?? 60), lookback), points, now);
            }

            default:
            {
                var last = s.LastTimestamp is { } l ? new List<TimedValue> { new(l, 0) } : [];
                return AlertRuleEvaluator.Evaluate(new MissingDataRule(TimeSpan.FromSeconds(c.MaxSilenceSeconds ?? 600)), last, now);
            }
        }
    }

    private async Task<List<TimedValue>> ReadAsync(long seriesId, DateTimeOffset from, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await metrics.ReadPointsAsync(seriesId, from, now.AddMilliseconds(1), 100_000, cancellationToken)).Select(p => new TimedValue(p.Timestamp, p.Value)).ToList();

    private async Task NotifyAsync(ParsedAlertRule parsed, Alert alert, string alertEvent, CancellationToken cancellationToken)
    {
        if (parsed.Channels.Count == 0)
        {
            return;
        }

        var body = JsonSerializer.Serialize(
            new
            {
                @event = alertEvent,
                rule = new { id = parsed.Rule.Id, name = parsed.Rule.Name, kind = parsed.Rule.Kind },
                alert,
                sentAt = Time.GetUtcNow(),
            },
            ParsedAlertRule.Json);
        foreach (var channel in parsed.Channels)
        {
            var result = await notifier.DeliverAsync(channel, alertEvent, body, cancellationToken);
            await alerts.RecordDeliveryAsync(alert.OrganizationId, alert.Id, channel.Url ?? string.Empty, alertEvent, result.Attempts, result.Succeeded, result.StatusCode, result.Error, cancellationToken);
        }
    }

    private static ComparisonOperator Operator(string? name) => name switch
    {
        "above_or_equal" => ComparisonOperator.AboveOrEqual,
        "below" => ComparisonOperator.Below,
        "below_or_equal" => ComparisonOperator.BelowOrEqual,
        _ => ComparisonOperator.Above,
    };

    private static AnomalySeverity Severity(string name) => name switch
    {
        "critical" => AnomalySeverity.Critical,
        "high" => AnomalySeverity.High,
        "medium" => AnomalySeverity.Medium,
        _ => AnomalySeverity.Low,
    };
}
