using System.Text.Json.Nodes;
using IntentVision.Analytics.Alerting;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Forecasting;
using IntentVision.Analytics.Series;
using IntentVision.Api.Events;
using IntentVision.Api.Forecasting;
using IntentVision.Api.Jobs;
using IntentVision.Api.Notifications;
using IntentVision.Data.Alerts;
using IntentVision.Data.Anomalies;
using IntentVision.Data.Forecasts;
using IntentVision.Data.Metrics;
using IntentVision.Data.Series;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Alerting;

/// <summary>
/// Evaluates every enabled rule against every series it matches and moves alerts through
/// pending → firing (→ acknowledged) → resolved, or to no_data while a threshold or rate series is silent.
/// One open alert per rule and series (the dedup key). Notifications are never sent here: each state change that
/// notifies is written with its outbox rows in one transaction, and the <see cref="NotificationDispatcher"/> delivers
/// them, so no receiver can slow evaluation down.
/// </summary>
public sealed class AlertEvaluationJob(
    AlertRuleRepository rules,
    AlertRepository alerts,
    NotificationPolicyRepository policies,
    SilenceRepository silences,
    SeriesRepository series,
    SeriesReader metrics,
    AnomalyRepository anomalies,
    ForecastRepository forecasts,
    ForecastService forecaster,
    AlertNotificationPlanner planner,
    AlertEvaluationGate gate,
    NotificationDispatcher dispatcher,
    NotificationMetrics notificationMetrics,
    EventBroadcaster events,
    IOptions<AlertingOptions> options,
    TimeProvider time,
    ILogger<AlertEvaluationJob> logger) : PeriodicJob<AlertingOptions>(options, time, logger)
{
    /// <summary>The shortest silence that counts as "no data" when a rule does not say, whatever the series' resolution.</summary>
    private static readonly TimeSpan MinimumNoDataAfter = TimeSpan.FromMinutes(5);

    public override async Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var context = new PassContext();
        using (await gate.EnterPassAsync(cancellationToken))
        {
            foreach (var rule in await rules.ListEnabledAsync(cancellationToken))
            {
                try
                {
                    await EvaluateRuleAsync(ParsedAlertRule.From(rule), now, context, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Alert rule {RuleId} could not be evaluated", rule.Id);
                }
            }
        }

        dispatcher.Wake();
    }

    private async Task EvaluateRuleAsync(ParsedAlertRule parsed, DateTimeOffset now, PassContext context, CancellationToken cancellationToken)
    {
        var rule = parsed.Rule;
        var suppressed = parsed.Suppression.Any(w => w.Covers(now));
        var orgPolicies = await context.PoliciesAsync(rule.OrganizationId, policies, cancellationToken);
        var orgSilences = await context.SilencesAsync(rule.OrganizationId, now, silences, cancellationToken);
        var matching = await series.SearchAsync(rule.OrganizationId, new SeriesFilter(rule.MetricKey, null, rule.DimensionFilter, Limit: 1000), cancellationToken);
        var open = await alerts.ListOpenForRuleAsync(rule.Id, cancellationToken);
        foreach (var s in matching)
        {
            var verdict = await JudgeAsync(parsed, s, now, cancellationToken);
            var dedupKey = $"series:{s.Id}";
            open.TryGetValue(dedupKey, out var current);
            var labels = Labels(rule, s);
            var silence = orgSilences.FirstOrDefault(x => LabelMatcher.All(x.Matchers, labels))?.Id;
            var step = new Step(parsed, orgPolicies, s, labels, verdict, now, suppressed);
            var changed = current is null ? await OpenAsync(step, cancellationToken) : await AdvanceAsync(step, current, cancellationToken);
            var alert = changed ?? current;
            if (alert is { IsOpen: true } && (alert.SilencedBy != silence || (changed is null && verdict.Kind != VerdictKind.Clear && alert.ClearSince is not null)))
            {
                await alerts.RecordObservationAsync(alert.Id, null, verdict.Kind == VerdictKind.Clear ? alert.ClearSince : null, silence, cancellationToken);
                if (alert.SilencedBy is not null && silence is null && alert.State == AlertStates.Firing)
                {
                    // A silence ended over a firing alert: tell the receivers, who heard nothing while it was muted.
                    await WriteAsync(step, alert, alert.State, AlertStates.Firing, AlertEvents.Firing, cancellationToken);
                }
            }
        }
    }

    private Task<Alert?> OpenAsync(Step step, CancellationToken cancellationToken)
    {
        var (parsed, verdict, now) = (step.Rule, step.Verdict, step.Now);
        if (step.Suppressed || verdict.Kind is VerdictKind.Clear or VerdictKind.Unknown)
        {
            return Task.FromResult<Alert?>(null);
        }

        var since = verdict.Kind == VerdictKind.NoData ? verdict.LastSeen ?? now : verdict.Evaluation.Since ?? now;
        var pending = TimeSpan.FromSeconds(parsed.Condition.PendingSeconds ?? 0);
        var state = verdict.Kind == VerdictKind.NoData ? AlertStates.NoData : now - since >= pending ? AlertStates.Firing : AlertStates.Pending;
        var change = new AlertChange(
            null, parsed.Rule.OrganizationId, parsed.Rule.Id, step.Series.Id, $"series:{step.Series.Id}", [], state,
            Message(step), verdict.Evaluation.ObservedValue, step.Labels, Details(step), since);
        return Write(step, change, state == AlertStates.Pending ? null : state, cancellationToken);
    }

    private async Task<Alert?> AdvanceAsync(Step step, Alert alert, CancellationToken cancellationToken)
    {
        var (parsed, verdict, now) = (step.Rule, step.Verdict, step.Now);
        switch (verdict.Kind)
        {
            case VerdictKind.Breaching when alert.State == AlertStates.Pending:
                var pending = TimeSpan.FromSeconds(parsed.Condition.PendingSeconds ?? 0);
                return now - alert.StartedAt >= pending && !step.Suppressed
                    ? await WriteAsync(step, alert, AlertStates.Pending, AlertStates.Firing, AlertEvents.Firing, cancellationToken)
                    : null;
            case VerdictKind.Breaching when alert.State == AlertStates.NoData:
                // Data is back and breaching: the alert fires again (acknowledged stays acknowledged).
                var back = alert.AcknowledgedAt is null ? AlertStates.Firing : AlertStates.Acknowledged;
                return await WriteAsync(step, alert, AlertStates.NoData, back, AlertEvents.Firing, cancellationToken);
            case VerdictKind.Breaching:
                return null;
            case VerdictKind.NoData when alert.State != AlertStates.NoData:
                return await WriteAsync(step, alert, alert.State, AlertStates.NoData, step.Suppressed ? null : AlertEvents.NoData, cancellationToken);
            case VerdictKind.Clear:
                var announced = AlertStates.Announced.Contains(alert.State);
                var keep = TimeSpan.FromSeconds(parsed.Condition.KeepFiringForSeconds ?? 0);
                if (announced && keep > TimeSpan.Zero && (alert.ClearSince is not { } clearSince || now - clearSince < keep))
                {
                    // Flap damping: a firing alert resolves only once its condition has stayed clear for keepFiringFor.
                    if (alert.ClearSince is null)
                    {
                        await alerts.RecordObservationAsync(alert.Id, verdict.Evaluation.ObservedValue, now, alert.SilencedBy, cancellationToken);
                    }

                    return null;
                }

                return await WriteAsync(step, alert, alert.State, AlertStates.Resolved, announced && !step.Suppressed ? AlertEvents.Resolved : null, cancellationToken);
            default:
                return null;
        }
    }

    private Task<Alert?> WriteAsync(Step step, Alert alert, string from, string to, string? notifyEvent, CancellationToken cancellationToken) =>
        Write(
            step,
            new AlertChange(alert.Id, alert.OrganizationId, alert.RuleId, alert.SeriesId, alert.DedupKey, [from], to, Message(step), step.Verdict.Evaluation.ObservedValue, null, Details(step), alert.StartedAt),
            notifyEvent,
            cancellationToken);

    private async Task<Alert?> Write(Step step, AlertChange change, string? notifyEvent, CancellationToken cancellationToken)
    {
        var queued = new List<NewNotification>();
        var written = await alerts.WriteChangeWithNotificationsAsync(
            change,
            alert =>
            {
                var planned = notifyEvent is null ? [] : planner.Plan(step.Rule, step.Policies, alert, notifyEvent);
                queued.AddRange(planned);
                return planned;
            },
            cancellationToken);
        if (written is not null)
        {
            foreach (var n in queued)
            {
                notificationMetrics.Queued(n.ChannelType);
            }

            events.Publish(written.OrganizationId, new AlertChangedEvent(written.Id, written.RuleId, written.SeriesId, written.State));
        }

        return written;
    }

    private async Task<AlertVerdict> JudgeAsync(ParsedAlertRule parsed, TimeSeries s, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rule = parsed.Rule;
        var c = parsed.Condition;
        if (rule.Kind is "threshold" or "rate_of_change")
        {
            var after = rule.NoDataAfterSeconds is { } seconds
                ? TimeSpan.FromSeconds(seconds)
                : Max(MinimumNoDataAfter, TimeSpan.FromSeconds(3 * (s.ResolutionSeconds ?? 0)), TimeSpan.FromSeconds(c.DurationSeconds ?? 0));
            if (s.LastTimestamp is not { } last || now - last > after)
            {
                var silent = new AlertEvaluation(false, s.LastTimestamp is { } l ? $"no data since {l:O} (more than {AlertRuleEvaluator.Iso(after)})" : "no data received at all");
                return rule.NoDataState switch
                {
                    "alerting" => new AlertVerdict(VerdictKind.Breaching, silent with { Firing = true, Since = s.LastTimestamp }),
                    "ok" => new AlertVerdict(VerdictKind.Clear, silent),
                    "keep_last" => new AlertVerdict(VerdictKind.Unknown, silent),
                    _ => new AlertVerdict(VerdictKind.NoData, silent, s.LastTimestamp),
                };
            }
        }

        var evaluation = await EvaluateAsync(parsed, s, now, cancellationToken);
        return new AlertVerdict(evaluation.Indeterminate ? VerdictKind.Unknown : evaluation.Firing ? VerdictKind.Breaching : VerdictKind.Clear, evaluation);
    }

    private async Task<AlertEvaluation> EvaluateAsync(ParsedAlertRule parsed, TimeSeries s, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var c = parsed.Condition;
        switch (parsed.Rule.Kind)
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
                var rule = new ForecastThresholdRule(Operator(c.Operator), c.Threshold ?? 0, TimeSpan.FromSeconds(c.HorizonSeconds ?? 3600), c.UseUpper95 ?? false);
                var forecast = await CurrentForecastAsync(s, rule.Horizon, now, cancellationToken);
                var actuals = (await metrics.ReadLatestAsync(s.Id, 50, now.AddMilliseconds(1), cancellationToken)).Select(p => new TimedValue(p.Timestamp, p.Value)).ToList();
                return AlertRuleEvaluator.Evaluate(rule, forecast, actuals, now);
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

    /// <summary>
    /// The latest forecast, re-forecast first when it does not reach past the horizon with a margin (so it is
    /// refreshed before its horizon runs out, not after) or is older than a horizon, as long as points arrived since
    /// it was fitted. Empty when the series cannot be forecast.
    /// </summary>
    private async Task<IReadOnlyList<ForecastPoint>> CurrentForecastAsync(TimeSeries s, TimeSpan horizon, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var latest = await forecasts.LatestForSeriesAsync(s.Id, cancellationToken);
        var margin = horizon / 2;
        var coveredUntil = latest is { Points.Count: > 0 } ? latest.Points[^1].Timestamp : DateTimeOffset.MinValue;

        // Refitting on the same data gives the same forecast: refresh only when points arrived after the last fit.
        var newData = latest is not { Points.Count: > 0 } || s.LastTimestamp >= latest.Points[0].Timestamp;
        if (newData && (coveredUntil < now + horizon + margin || (latest is not null && now - latest.CreatedAt > horizon)))
        {
            var step = TimeSpan.FromSeconds(Math.Max(1, s.ResolutionSeconds ?? 60));
            var from = s.LastTimestamp ?? now;
            var steps = (int)Math.Clamp(Math.Ceiling((now + horizon + horizon - from) / step), 1, ForecastService.MaxHorizon);
            try
            {
                latest = await forecaster.RunAsync(s.OrganizationId, s.Id, steps, "auto", cancellationToken);
            }
            catch (ArgumentException e)
            {
                logger.LogDebug("Series {SeriesId} could not be re-forecast for a forecast_breach rule: {Reason}", s.Id, e.Message);
            }
        }

        return latest?.Points.Select(p => new ForecastPoint(p.Timestamp, p.Value, p.Lower80, p.Upper80, p.Lower95, p.Upper95)).ToList() ?? [];
    }

    private async Task<List<TimedValue>> ReadAsync(long seriesId, DateTimeOffset from, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await metrics.ReadPointsAsync(seriesId, from, now.AddMilliseconds(1), 100_000, cancellationToken)).Select(p => new TimedValue(p.Timestamp, p.Value)).ToList();

    /// <summary>An alert's labels: the series' dimensions, its metric, the rule's name as alertname, then the rule's labels (which win).</summary>
    private static Dictionary<string, string> Labels(AlertRule rule, TimeSeries s)
    {
        var labels = new Dictionary<string, string>(s.Dimensions, StringComparer.Ordinal)
        {
            ["alertname"] = rule.Name,
            ["metric"] = s.MetricKey,
        };
        foreach (var (k, v) in rule.Labels ?? new Dictionary<string, string>())
        {
            labels[k] = v;
        }

        return labels;
    }

    private static string Message(Step step) => $"{step.Rule.Rule.Name}: {step.Series.MetricKey}{Dimensions(step.Series)} {step.Verdict.Evaluation.Reason}";

    private static string Dimensions(TimeSeries s) => s.Dimensions.Count == 0 ? string.Empty : "{" + string.Join(",", s.Dimensions.Select(d => $"{d.Key}={d.Value}")) + "}";

    /// <summary>The series and the values that triggered the change, kept on the alert and copied into its notifications.</summary>
    private static string Details(Step step)
    {
        var e = step.Verdict.Evaluation;
        var dimensions = new JsonObject();
        foreach (var (k, v) in step.Series.Dimensions)
        {
            dimensions[k] = v;
        }

        return new JsonObject
        {
            ["series"] = new JsonObject { ["id"] = step.Series.Id, ["metric"] = step.Series.MetricKey, ["dimensions"] = dimensions },
            ["trigger"] = new JsonObject
            {
                ["verdict"] = step.Verdict.Kind.ToString().ToLowerInvariant(),
                ["value"] = e.ObservedValue,
                ["since"] = e.Since,
                ["predictedAt"] = e.PredictedAt,
                ["lastSeen"] = step.Verdict.LastSeen ?? step.Series.LastTimestamp,
                ["evaluatedAt"] = step.Now,
                ["reason"] = e.Reason,
            },
        }.ToJsonString();
    }

    private static TimeSpan Max(params TimeSpan[] spans) => spans.Max();

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

    /// <summary>One series' evaluation, with what deciding and notifying about it needs.</summary>
    private sealed record Step(ParsedAlertRule Rule, IReadOnlyList<ParsedPolicy> Policies, TimeSeries Series, IReadOnlyDictionary<string, string> Labels, AlertVerdict Verdict, DateTimeOffset Now, bool Suppressed);

    /// <summary>Policies and silences read once per organization per pass.</summary>
    private sealed class PassContext
    {
        private readonly Dictionary<string, IReadOnlyList<ParsedPolicy>> _policies = new(StringComparer.Ordinal);
        private readonly Dictionary<string, IReadOnlyList<ActiveSilence>> _silences = new(StringComparer.Ordinal);

        public async Task<IReadOnlyList<ParsedPolicy>> PoliciesAsync(string organizationId, NotificationPolicyRepository repository, CancellationToken cancellationToken)
        {
            if (!_policies.TryGetValue(organizationId, out var list))
            {
                _policies[organizationId] = list = (await repository.ListAsync(organizationId, cancellationToken)).Select(ParsedPolicy.From).ToList();
            }

            return list;
        }

        public async Task<IReadOnlyList<ActiveSilence>> SilencesAsync(string organizationId, DateTimeOffset now, SilenceRepository repository, CancellationToken cancellationToken)
        {
            if (!_silences.TryGetValue(organizationId, out var list))
            {
                _silences[organizationId] = list = (await repository.ListAsync(organizationId, now, 1000, cancellationToken)).Select(ActiveSilence.From).Where(s => s.Matchers.Count > 0).ToList();
            }

            return list;
        }
    }
}

/// <summary>The events a notification reports.</summary>
public static class AlertEvents
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";
    public const string NoData = "no_data";
}

/// <summary>A silence in force, with its matchers read.</summary>
public sealed record ActiveSilence(long Id, IReadOnlyList<LabelMatcher> Matchers)
{
    public static ActiveSilence From(Silence silence) =>
        new(silence.Id, System.Text.Json.JsonSerializer.Deserialize<List<LabelMatcher>>(silence.Matchers, ParsedAlertRule.Json) ?? []);
}
