using IntentVision.Analytics.Forecasting;

namespace IntentVision.Analytics.Tests.Forecasting;

public sealed class ForecastDomainTests
{
    private readonly SeriesForecaster _forecaster = new();

    /// <summary>A latency that fell steeply towards zero: extrapolated trends and wide bands would go below it.</summary>
    private static Series.TimedValue[] FallingLatency(double offset) =>
        SeriesFactory.Hourly(24 * 10, (i, r) => offset + Math.Max(0.5, 60 - (0.25 * i)) + (3 * Math.Abs(SeriesFactory.Gaussian(r))));

    [Theory]
    [InlineData("auto")]
    [InlineData("holt")]
    [InlineData("naive")]
    [InlineData("mstl-ets")]
    public void ANeverNegativeSeriesGetsNoNegativeForecastOrBand(string method)
    {
        var result = _forecaster.Forecast(FallingLatency(0), new ForecastRequest(96, TimeSpan.FromHours(1), method));
        Assert.All(result.Points, p => Assert.True(p.Value >= 0 && p.Lower95 >= 0 && p.Lower80 >= 0 && p.Upper80 >= 0 && p.Upper95 >= 0, $"{p}"));
        Assert.All(result.Points, p => Assert.True(p.Lower95 <= p.Lower80 && p.Lower80 <= p.Value && p.Value <= p.Upper80 && p.Upper80 <= p.Upper95, $"{p}"));
        Assert.Contains("never been below 0", result.ModelInfo);
    }

    [Fact]
    public void TheBandOfAFallingPositiveSeriesIsCutAtZeroNotShifted()
    {
        var result = _forecaster.Forecast(FallingLatency(0), new ForecastRequest(96, TimeSpan.FromHours(1), "holt"));

        // Unclipped, Holt's band would reach far below zero; the clipped lower bound sits exactly on it.
        Assert.Contains(result.Points, p => p.Lower95 == 0);
        Assert.Contains(result.Points, p => p.Upper95 > 0);
    }

    [Fact]
    public void ASeriesThatWasOnceNegativeIsNotClipped()
    {
        var history = FallingLatency(-20);
        Assert.Contains(history, p => p.Value < 0);
        var result = _forecaster.Forecast(history, new ForecastRequest(96, TimeSpan.FromHours(1), "holt"));
        Assert.Contains(result.Points, p => p.Lower95 < 0);
        Assert.DoesNotContain("never been below", result.ModelInfo);
    }

    [Fact]
    public void ADomainIsReadFromTheWholeHistory()
    {
        Assert.True(ForecastDomain.Of([0.0, 3, 5]).IsBounded);
        Assert.False(ForecastDomain.Of([1.0, -0.001, 5]).IsBounded);
        Assert.Equal([0.0, 0, 2], ForecastDomain.NonNegative.Clip([-1.0, 0, 2]));
        Assert.Equal([-1.0, 0, 2], ForecastDomain.Unbounded.Clip([-1.0, 0, 2]));
    }
}
