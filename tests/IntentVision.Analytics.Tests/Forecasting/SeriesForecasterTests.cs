using IntentVision.Analytics.Forecasting;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.Tests.Forecasting;

public sealed class SeriesForecasterTests
{
    private readonly SeriesForecaster _forecaster = new();

    [Fact]
    public void NoisyDailySineIsForecastWithinTolerance()
    {
        var all = SeriesFactory.Hourly(24 * 30 + 48, (i, r) => SeriesFactory.DailySine(i) + (0.3 * SeriesFactory.Gaussian(r)));
        var history = all[..^48];
        var result = _forecaster.Forecast(history, new ForecastRequest(48));

        Assert.Equal(48, result.Points.Count);
        Assert.Contains(24, result.SeasonalPeriods);
        var mae = result.Points.Select((p, h) => Math.Abs(p.Value - SeriesFactory.DailySine(history.Length + h))).Average();
        Assert.True(mae < 0.35, $"MAE against the noiseless sine was {mae}; {result.ModelInfo}");
        Assert.Equal(history[^1].Timestamp.AddHours(1), result.Points[0].Timestamp);
        Assert.All(result.Points, p => Assert.True(p.Lower95 <= p.Lower80 && p.Lower80 <= p.Value && p.Value <= p.Upper80 && p.Upper80 <= p.Upper95));
        var covered = result.Points.Select((p, h) => all[history.Length + h].Value >= p.Lower95 && all[history.Length + h].Value <= p.Upper95).Count(c => c);
        Assert.True(covered >= 40, $"95% interval covered {covered} of 48");
        Assert.Contains("auto: ", result.ModelInfo);
        Assert.Contains("validation OWA", result.ModelInfo);
    }

    [Fact]
    public void SeasonalNaiveRepeatsTheLastDay()
    {
        var history = SeriesFactory.Hourly(24 * 5, (i, _) => i % 24);
        var result = _forecaster.Forecast(history, new ForecastRequest(30, TimeSpan.FromHours(1), "snaive"));
        Assert.Equal(Enumerable.Range(0, 30).Select(h => (double)(h % 24)), result.Points.Select(p => Math.Round(p.Value, 9)));
    }

    [Fact]
    public void ConstantSeriesGivesTheConstantWithZeroWidthIntervals()
    {
        var history = SeriesFactory.Hourly(200, (_, _) => 7.5);
        var result = _forecaster.Forecast(history, new ForecastRequest(12));
        Assert.Equal("constant", result.Method);
        Assert.All(result.Points, p => Assert.Equal((7.5, 7.5, 7.5), (p.Value, p.Lower95, p.Upper95)));
        Assert.Contains("constant", result.ModelInfo);
    }

    [Fact]
    public void SixPointSeriesUsesTheFixedCombinationAndSaysSo()
    {
        var history = SeriesFactory.Hourly(6, (i, _) => 100 + i);
        var result = _forecaster.Forecast(history, new ForecastRequest(5));
        Assert.Equal(5, result.Points.Count);
        Assert.Equal("mean(theta, damped, ses)", result.Method);
        Assert.Contains("no room for a backtest", result.ModelInfo);
        Assert.All(result.Points, p => Assert.InRange(p.Value, 100, 130));
        Assert.True(result.Points[^1].Upper95 > result.Points[^1].Value);
    }

    [Fact]
    public void TenPointSeriesIsBacktestedFromOneOrigin()
    {
        var history = SeriesFactory.Hourly(10, (i, r) => 100 + i + SeriesFactory.Gaussian(r));
        var result = _forecaster.Forecast(history, new ForecastRequest(5));
        Assert.Contains("from 1 origin(s) over 4 steps", result.ModelInfo);
        Assert.Contains("validation OWA", result.ModelInfo);
        Assert.Matches(@"^(weighted\([a-z0-9-]+(, [a-z0-9-]+){1,5}\)|[a-z0-9-]+)$", result.Method);
        Assert.All(result.Points, p => Assert.InRange(p.Value, 100, 130));
    }

    [Fact]
    public void NaNIsRejectedNamingTheIndex()
    {
        var history = SeriesFactory.Hourly(50, (i, _) => i == 17 ? double.NaN : i);
        var error = Assert.Throws<ArgumentException>(() => _forecaster.Forecast(history, new ForecastRequest(5)));
        Assert.Contains("history[17].Value is NaN", error.Message);
    }

    [Fact]
    public void InfinityIsRejected()
    {
        var history = SeriesFactory.Hourly(50, (i, _) => i == 3 ? double.PositiveInfinity : i);
        var error = Assert.Throws<ArgumentException>(() => _forecaster.Forecast(history, new ForecastRequest(5)));
        Assert.Contains("history[3].Value is +infinity", error.Message);
    }

    [Fact]
    public void IrregularTimestampsWithGapsAreRegularised()
    {
        var regular = SeriesFactory.Hourly(24 * 10, (i, r) => SeriesFactory.DailySine(i) + (0.1 * SeriesFactory.Gaussian(r)));
        var irregular = regular
            .Where((_, i) => i % 7 != 3)
            .Select((p, i) => p with { Timestamp = p.Timestamp.AddMinutes(i % 3 == 0 ? 4 : -3) })
            .ToArray();
        var result = _forecaster.Forecast(irregular, new ForecastRequest(24, TimeSpan.FromHours(1)));
        Assert.True(result.FilledGaps > 0);
        Assert.Contains("interpolated", result.ModelInfo);
        var mae = result.Points.Select((p, h) => Math.Abs(p.Value - SeriesFactory.DailySine(regular.Length + h))).Average();
        Assert.True(mae < 0.5, $"MAE {mae}; {result.ModelInfo}");
    }

    [Fact]
    public void HugeValuesStayFinite()
    {
        var history = SeriesFactory.Hourly(24 * 8, (i, r) => 1e300 * (1 + (0.1 * Math.Sin(2 * Math.PI * i / 24.0)) + (0.01 * r.NextDouble())));
        var result = _forecaster.Forecast(history, new ForecastRequest(24));
        Assert.All(result.Points, p => Assert.True(double.IsFinite(p.Value) && double.IsFinite(p.Upper95), $"{p}"));
    }

    [Theory]
    [InlineData("naive2")]
    [InlineData("ses")]
    [InlineData("holt")]
    [InlineData("damped")]
    [InlineData("theta")]
    [InlineData("ets")]
    [InlineData("hw-additive")]
    [InlineData("hw-multiplicative")]
    [InlineData("mstl-ets")]
    [InlineData("mstl-theta")]
    [InlineData("mstl-ets-log")]
    [InlineData("mstl-theta-log")]
    [InlineData("comb")]
    [InlineData("snaive-long")]
    [InlineData("cycle-snaive")]
    [InlineData("cycle-mstl-theta")]
    public void EveryNamedMethodForecastsASeasonalSeries(string method)
    {
        var history = SeriesFactory.Hourly(24 * 14, (i, r) => SeriesFactory.DailySine(i) + (0.2 * SeriesFactory.Gaussian(r)));
        var result = _forecaster.Forecast(history, new ForecastRequest(24, TimeSpan.FromHours(1), method));
        var mae = result.Points.Select((p, h) => Math.Abs(p.Value - SeriesFactory.DailySine(history.Length + h))).Average();
        Assert.True(mae < 1.0, $"{method}: MAE {mae}; {result.ModelInfo}");
    }

    [Fact]
    public void ThreePointsRepeatTheLastValue()
    {
        var result = _forecaster.Forecast(SeriesFactory.Hourly(3, (i, _) => 5 + i), new ForecastRequest(4));
        Assert.Equal("naive", result.Method);
        Assert.All(result.Points, p => Assert.Equal(7, p.Value, 9));
        Assert.Contains("fallback", result.ModelInfo);
    }

    [Fact]
    public void AStatedSeasonReplacesTheCalendarsForTheSingleSeasonMethods()
    {
        // A daily series' calendar season is a week; M4 treats daily data as non-seasonal (season 1).
        var history = Enumerable.Range(0, 70).Select(i => new Series.TimedValue(SeriesFactory.Start.AddDays(i), 10 + (i % 7))).ToArray();
        var weekly = _forecaster.Forecast(history, new ForecastRequest(7, TimeSpan.FromDays(1), "snaive"));
        var none = _forecaster.Forecast(history, new ForecastRequest(7, TimeSpan.FromDays(1), "snaive", SeasonalPeriod: 1));
        Assert.Equal(Enumerable.Range(0, 7).Select(d => 10.0 + ((70 + d) % 7)), weekly.Points.Select(p => Math.Round(p.Value, 9)));
        Assert.All(none.Points, p => Assert.Equal(history[^1].Value, p.Value, 9));
    }

    [Fact]
    public void AnInvalidSeasonIsRejectedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => _forecaster.Forecast(SeriesFactory.Hourly(50, (i, _) => i), new ForecastRequest(5, SeasonalPeriod: 0)));
        Assert.Contains("SeasonalPeriod", error.Message);
    }

    [Fact]
    public void UnknownMethodIsRejected()
    {
        var history = SeriesFactory.Hourly(100, (i, _) => i);
        var error = Assert.Throws<ArgumentException>(() => _forecaster.Forecast(history, new ForecastRequest(5, null, "prophet")));
        Assert.Contains("prophet", error.Message);
    }

    [Fact]
    public void WeeklyAndDailySeasonalitiesAreBothFound()
    {
        var history = SeriesFactory.Hourly(24 * 7 * 5, (i, r) => SeriesFactory.DailySine(i) + (i / 24 % 7 >= 5 ? -4 : 0) + (0.2 * SeriesFactory.Gaussian(r)));
        var result = _forecaster.Forecast(history, new ForecastRequest(48));
        Assert.Equal([24, 168], result.SeasonalPeriods);
    }
}
