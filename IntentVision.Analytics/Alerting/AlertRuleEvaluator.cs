using System.Globalization;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Forecasting;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.Alerting;

/// <summary>
/// Alert rules as pure functions of their inputs. The evaluation time <c>now</c> is an argument, never read
/// from a clock, so the same inputs always give the same verdict. Points are expected in timestamp order.
/// </summary>
public static class AlertRuleEvaluator
{
    public static AlertEvaluation Evaluate(ThresholdRule rule, IReadOnlyList<TimedValue> points, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        SeriesValidator.RequireFinite(points, nameof(points));
        if (points.Count == 0)
        {
            return new AlertEvaluation(false, "no data");
        }

        // Walk back from the newest point while the breach holds. The breach is proven up to the newest point, not up
        // to now: a series that stops reporting is not "still breaching" (that is the no-data state's business).
        DateTimeOffset? breachStart = null;
        TimedValue? newest = null;
        for (var i = points.Count - 1; i >= 0; i--)
        {
            if (points[i].Timestamp > now)
            {
                continue;
            }

            newest ??= points[i];
            if (!Breaches(points[i].Value, rule.Operator, rule.Threshold))
            {
                break;
            }

            breachStart = points[i].Timestamp;
        }

        if (newest is not { } latest)
        {
            return new AlertEvaluation(false, "no data");
        }

        if (breachStart is { } start && latest.Timestamp - start >= rule.Duration)
        {
            return new AlertEvaluation(true, F($"value {latest.Value:G6} {Describe(rule.Operator)} {rule.Threshold} since {start:O} (held {Iso(latest.Timestamp - start)}, required {Iso(rule.Duration)})"), start, latest.Value);
        }

        return new AlertEvaluation(false, breachStart is null ? F($"value {latest.Value:G6} within threshold {rule.Threshold}") : F($"breach shorter than {Iso(rule.Duration)}"), null, latest.Value);
    }

    public static AlertEvaluation Evaluate(AnomalySeverityRule rule, IReadOnlyList<AnomalyScore> scores, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(scores);
        AnomalyScore? worst = null;
        foreach (var score in scores)
        {
            if (score.Timestamp > now || now - score.Timestamp > rule.Lookback || score.Severity < rule.MinimumSeverity)
            {
                continue;
            }

            if (worst is null || score.Score > worst.Score)
            {
                worst = score;
            }
        }

        return worst is null
            ? new AlertEvaluation(false, F($"no anomaly at or above {rule.MinimumSeverity} in the last {Iso(rule.Lookback)}"))
            : new AlertEvaluation(true, F($"{worst.Severity} {worst.Type} anomaly at {worst.Timestamp:O} (score {worst.Score:0.###}, value {worst.Value}, expected {worst.Expected:G6})"), worst.Timestamp, worst.Value);
    }

    /// <summary>
    /// Judges the forecast alone: firing when it crosses the threshold within the horizon; indeterminate when it
    /// does not reach the end of the horizon (it must be refreshed first, never read as "stays within").
    /// </summary>
    public static AlertEvaluation Evaluate(ForecastThresholdRule rule, IReadOnlyList<ForecastPoint> forecast, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(forecast);
        foreach (var point in forecast)
        {
            if (point.Timestamp <= now || point.Timestamp - now > rule.Horizon)
            {
                continue;
            }

            var judged = !rule.UseUpper95
                ? point.Value
                : rule.Operator is ComparisonOperator.Above or ComparisonOperator.AboveOrEqual ? point.Upper95 : point.Lower95;
            if (Breaches(judged, rule.Operator, rule.Threshold))
            {
                return new AlertEvaluation(true, F($"forecast {(rule.UseUpper95 ? "95% bound " : string.Empty)}{judged:G6} {Describe(rule.Operator)} {rule.Threshold} at {point.Timestamp:O}, within {Iso(rule.Horizon)}"), null, judged, PredictedAt: point.Timestamp);
            }
        }

        if (forecast.Count == 0 || forecast[^1].Timestamp < now + rule.Horizon)
        {
            return new AlertEvaluation(false, F($"no forecast covers the next {Iso(rule.Horizon)}"), Indeterminate: true);
        }

        return new AlertEvaluation(false, F($"forecast stays within {rule.Threshold} for the next {Iso(rule.Horizon)}"));
    }

    /// <summary>
    /// Judges the forecast and the actual values together: firing while either breaches (an actual breach is the
    /// forecast come true), clear only when both agree that nothing breaches, indeterminate when the actuals are
    /// clear but no forecast covers the horizon.
    /// </summary>
    public static AlertEvaluation Evaluate(ForecastThresholdRule rule, IReadOnlyList<ForecastPoint> forecast, IReadOnlyList<TimedValue> actuals, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actuals);
        var latest = actuals.Where(p => p.Timestamp <= now).Select(p => (TimedValue?)p).LastOrDefault();
        if (latest is { } actual && Breaches(actual.Value, rule.Operator, rule.Threshold))
        {
            var since = actual.Timestamp;
            for (var i = actuals.Count - 1; i >= 0 && Breaches(actuals[i].Value, rule.Operator, rule.Threshold); i--)
            {
                since = actuals[i].Timestamp <= now ? actuals[i].Timestamp : since;
            }

            return new AlertEvaluation(true, F($"actual value {actual.Value:G6} {Describe(rule.Operator)} {rule.Threshold} since {since:O}"), since, actual.Value);
        }

        var predicted = Evaluate(rule, forecast, now);
        return predicted with { ObservedValue = predicted.ObservedValue ?? latest?.Value };
    }

    public static AlertEvaluation Evaluate(RateOfChangeRule rule, IReadOnlyList<TimedValue> points, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        SeriesValidator.RequireFinite(points, nameof(points));
        if (rule.Unit <= TimeSpan.Zero)
        {
            throw new ArgumentException($"rule.Unit must be positive, got {rule.Unit}.", nameof(rule));
        }

        (double Rate, TimedValue At)? fastest = null;
        for (var i = 1; i < points.Count; i++)
        {
            var current = points[i];
            var previous = points[i - 1];
            if (current.Timestamp > now || now - current.Timestamp > rule.Lookback || current.Timestamp <= previous.Timestamp)
            {
                continue;
            }

            var rate = (current.Value - previous.Value) / ((current.Timestamp - previous.Timestamp) / rule.Unit);
            if (fastest is null || Math.Abs(rate) > Math.Abs(fastest.Value.Rate))
            {
                fastest = (rate, current);
            }
        }

        if (fastest is { } f && Math.Abs(f.Rate) > rule.MaxChangePerUnit)
        {
            return new AlertEvaluation(true, F($"changed at {f.Rate:G6} per {Iso(rule.Unit)} at {f.At.Timestamp:O}, limit {rule.MaxChangePerUnit}"), f.At.Timestamp, f.At.Value);
        }

        return new AlertEvaluation(false, fastest is null ? "fewer than two points in the lookback" : F($"fastest change {fastest.Value.Rate:G6} per {Iso(rule.Unit)} within limit"));
    }

    public static AlertEvaluation Evaluate(MissingDataRule rule, IReadOnlyList<TimedValue> points, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(points);
        DateTimeOffset? latest = null;
        foreach (var p in points)
        {
            if (p.Timestamp <= now && (latest is null || p.Timestamp > latest))
            {
                latest = p.Timestamp;
            }
        }

        if (latest is null)
        {
            return new AlertEvaluation(true, "no data received at all");
        }

        var silence = now - latest.Value;
        return silence > rule.MaxSilence
            ? new AlertEvaluation(true, F($"no data since {latest:O} (silent for more than {Iso(rule.MaxSilence)})"), latest)
            : new AlertEvaluation(false, F($"last point {Iso(silence)} ago"));
    }

    private static bool Breaches(double value, ComparisonOperator op, double threshold) => op switch
    {
        ComparisonOperator.Above => value > threshold,
        ComparisonOperator.AboveOrEqual => value >= threshold,
        ComparisonOperator.Below => value < threshold,
        _ => value <= threshold,
    };

    private static string Describe(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Above => ">",
        ComparisonOperator.AboveOrEqual => ">=",
        ComparisonOperator.Below => "<",
        _ => "<=",
    };

    /// <summary>An ISO 8601 duration (<c>PT1M1.5S</c>), the form every message uses.</summary>
    public static string Iso(TimeSpan span) => System.Xml.XmlConvert.ToString(span);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
