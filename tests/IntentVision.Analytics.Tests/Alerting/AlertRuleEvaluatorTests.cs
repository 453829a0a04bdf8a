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
}
