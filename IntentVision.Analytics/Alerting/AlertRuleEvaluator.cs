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

        // Walk back from the newest point while the breach holds; it fires if that run spans the duration.
        DateTimeOffset? breachStart = null;
        for (var i = points.Count - 1; i >= 0 && points[i].Timestamp <= now; i--)
        {
            if (!Breaches(points[i].Value, rule.Operator, rule.Threshold))
            {
                break;
            }

            breachStart = points[i].Timestamp;
        }

        var latest = points[^1].Value;
        if (breachStart is { } start && now - start >= rule.Duration)
        {
            return new AlertEvaluation(true, F($"value {Describe(rule.Operator)} {rule.Threshold} since {start:O} ({now - start} >= {rule.Duration})"), start, latest);
        }

        return new AlertEvaluation(false, breachStart is null ? "latest value within threshold" : F($"breach shorter than {rule.Duration}"), null, latest);
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
            ? new AlertEvaluation(false, F($"no anomaly at or above {rule.MinimumSeverity} in the last {rule.Lookback}"))
            : new AlertEvaluation(true, F($"{worst.Severity} {worst.Type} anomaly at {worst.Timestamp:O} (score {worst.Score:0.###}, value {worst.Value}, expected {worst.Expected:G6})"), worst.Timestamp, worst.Value);
    }

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
                return new AlertEvaluation(true, F($"forecast {(rule.UseUpper95 ? "95% bound " : string.Empty)}{judged:G6} {Describe(rule.Operator)} {rule.Threshold} at {point.Timestamp:O}, within {rule.Horizon}"), point.Timestamp, judged);
            }
        }

        return new AlertEvaluation(false, F($"forecast stays within {rule.Threshold} for the next {rule.Horizon}"));
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
            return new AlertEvaluation(true, F($"changed at {f.Rate:G6} per {rule.Unit} at {f.At.Timestamp:O}, limit {rule.MaxChangePerUnit}"), f.At.Timestamp, f.At.Value);
        }

        return new AlertEvaluation(false, fastest is null ? "fewer than two points in the lookback" : F($"fastest change {fastest.Value.Rate:G6} per {rule.Unit} within limit"));
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
            ? new AlertEvaluation(true, F($"no data since {latest:O} ({silence} > {rule.MaxSilence})"), latest)
            : new AlertEvaluation(false, F($"last point {silence} ago"));
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

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
