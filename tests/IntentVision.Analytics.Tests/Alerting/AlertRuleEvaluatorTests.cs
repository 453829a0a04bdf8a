using IntentVision.Analytics.Alerting;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Forecasting;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.Tests.Alerting;

public sealed class AlertRuleEvaluatorTests
{
    private static readonly DateTimeOffset T0 = SeriesFactory.Start;

    private static TimedValue[] Minutes(params double[] values) =>
        values.Select((v, i) => new TimedValue(T0.AddMinutes(i), v)).ToArray();

    [Fact]
    public void ThresholdFiresOnlyAfterTheDuration()
    {
        var points = Minutes(1, 1, 9, 9, 9, 9);
        var rule = new ThresholdRule(ComparisonOperator.Above, 5, TimeSpan.FromMinutes(3));
        Assert.True(AlertRuleEvaluator.Evaluate(rule, points, T0.AddMinutes(5)).Firing);
        Assert.False(AlertRuleEvaluator.Evaluate(rule with { Duration = TimeSpan.FromMinutes(4) }, points, T0.AddMinutes(5)).Firing);
        Assert.False(AlertRuleEvaluator.Evaluate(rule, Minutes(9, 9, 9, 9, 1), T0.AddMinutes(4)).Firing);
    }

    [Fact]
    public void SeverityRuleLooksBackAndFiltersBySeverity()
    {
        var scores = new[]
        {
            new AnomalyScore(T0, 1, 1, 0.3, AnomalySeverity.Low, AnomalyType.Point),
            new AnomalyScore(T0.AddMinutes(10), 9, 1, 0.95, AnomalySeverity.Critical, AnomalyType.Point),
        };
        Assert.True(AlertRuleEvaluator.Evaluate(new AnomalySeverityRule(AnomalySeverity.High, TimeSpan.FromMinutes(30)), scores, T0.AddMinutes(20)).Firing);
        Assert.False(AlertRuleEvaluator.Evaluate(new AnomalySeverityRule(AnomalySeverity.High, TimeSpan.FromMinutes(5)), scores, T0.AddMinutes(20)).Firing);
        Assert.False(AlertRuleEvaluator.Evaluate(new AnomalySeverityRule(AnomalySeverity.Critical, TimeSpan.FromHours(1)), scores[..1], T0.AddMinutes(20)).Firing);
    }

    [Fact]
    public void ForecastCrossingWithinTheHorizonFires()
    {
        var forecast = Enumerable.Range(1, 10).Select(h => new ForecastPoint(T0.AddHours(h), h * 10, h * 9, h * 11, h * 8, h * 12)).ToArray();
        Assert.True(AlertRuleEvaluator.Evaluate(new ForecastThresholdRule(ComparisonOperator.Above, 55, TimeSpan.FromHours(6)), forecast, T0).Firing);
        Assert.False(AlertRuleEvaluator.Evaluate(new ForecastThresholdRule(ComparisonOperator.Above, 55, TimeSpan.FromHours(5)), forecast, T0).Firing);
        Assert.True(AlertRuleEvaluator.Evaluate(new ForecastThresholdRule(ComparisonOperator.Above, 55, TimeSpan.FromHours(5), UseUpper95: true), forecast, T0).Firing);
    }

    [Fact]
    public void RateOfChangeUsesTheTimeUnit()
    {
        var points = new[] { new TimedValue(T0, 0), new TimedValue(T0.AddSeconds(30), 10) };
        Assert.True(AlertRuleEvaluator.Evaluate(new RateOfChangeRule(15, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)), points, T0.AddMinutes(1)).Firing);
        Assert.False(AlertRuleEvaluator.Evaluate(new RateOfChangeRule(25, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)), points, T0.AddMinutes(1)).Firing);
    }

    [Fact]
    public void MissingDataFiresAfterSilence()
    {
        var points = Minutes(1, 2, 3);
        Assert.False(AlertRuleEvaluator.Evaluate(new MissingDataRule(TimeSpan.FromMinutes(5)), points, T0.AddMinutes(6)).Firing);
        Assert.True(AlertRuleEvaluator.Evaluate(new MissingDataRule(TimeSpan.FromMinutes(5)), points, T0.AddMinutes(8)).Firing);
        Assert.True(AlertRuleEvaluator.Evaluate(new MissingDataRule(TimeSpan.FromMinutes(5)), [], T0).Firing);
    }

    [Fact]
    public void ThresholdBreachIsProvenUpToTheNewestPointNotUpToNow()
    {
        var rule = new ThresholdRule(ComparisonOperator.Above, 5, TimeSpan.FromMinutes(3));

        // One breaching point an hour ago is a breach of zero length, not of an hour.
        Assert.False(AlertRuleEvaluator.Evaluate(rule, Minutes(1, 9), T0.AddHours(1)).Firing);
        var firing = AlertRuleEvaluator.Evaluate(rule, Minutes(1, 9, 9, 9, 9), T0.AddMinutes(30));
        Assert.True(firing.Firing);
        Assert.Equal(T0.AddMinutes(1), firing.Since);
        Assert.Contains("held PT3M, required PT3M", firing.Reason);
    }

    [Fact]
    public void ForecastBreachFiresOnActualsAndIsIndeterminateWhenNoForecastCoversTheHorizon()
    {
        var rule = new ForecastThresholdRule(ComparisonOperator.Above, 125, TimeSpan.FromMinutes(10));
        var stale = new[] { new ForecastPoint(T0.AddMinutes(1), 120, 0, 0, 0, 0) };
        var actuals = new[] { new TimedValue(T0.AddMinutes(20), 133), new TimedValue(T0.AddMinutes(21), 133) };

        // The horizon of the old forecast ran out, but the actual values breach: still firing, since the breach began.
        var breaching = AlertRuleEvaluator.Evaluate(rule, stale, actuals, T0.AddMinutes(21));
        Assert.True(breaching.Firing);
        Assert.Equal(T0.AddMinutes(20), breaching.Since);

        // Actuals within, forecast too short: nobody can tell, so nothing resolves.
        var calm = new[] { new TimedValue(T0.AddMinutes(21), 100) };
        Assert.True(AlertRuleEvaluator.Evaluate(rule, stale, calm, T0.AddMinutes(21)).Indeterminate);

        // Both agree nothing breaches: clear.
        var covering = Enumerable.Range(1, 20).Select(m => new ForecastPoint(T0.AddMinutes(21 + m), 100, 0, 0, 0, 0)).ToArray();
        var clear = AlertRuleEvaluator.Evaluate(rule, covering, calm, T0.AddMinutes(21));
        Assert.False(clear.Firing);
        Assert.False(clear.Indeterminate);

        // A predicted crossing fires with its time, never as the start of the condition.
        var rising = Enumerable.Range(1, 20).Select(m => new ForecastPoint(T0.AddMinutes(21 + m), 100 + (m * 3), 0, 0, 0, 0)).ToArray();
        var predicted = AlertRuleEvaluator.Evaluate(rule, rising, calm, T0.AddMinutes(21));
        Assert.True(predicted.Firing);
        Assert.Null(predicted.Since);
        Assert.Equal(T0.AddMinutes(30), predicted.PredictedAt);
    }
}
