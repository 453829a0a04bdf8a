using IntentVision.Evaluation.M4;

namespace IntentVision.Analytics.Tests.Evaluation;

public sealed class M4FrequencyTests
{
    [Theory]
    [InlineData("hourly", 48, 24)]
    [InlineData("daily", 14, 1)]
    [InlineData("weekly", 13, 1)]
    [InlineData("monthly", 18, 12)]
    [InlineData("quarterly", 8, 4)]
    [InlineData("yearly", 6, 1)]
    public void EveryFrequencyHasM4sHorizonAndMaseLag(string name, int horizon, int lag)
    {
        var frequency = M4Frequency.Parse(name);
        Assert.Equal((horizon, lag), (frequency.Horizon, frequency.SeasonalLag));
    }

    [Fact]
    public void TheGridOfEachFrequencyGivesItsCalendarSeason()
    {
        // The product reads seasons off the grid: a month is a twelfth of a year, a quarter a fourth.
        Assert.Equal([24, 168], Analytics.Seasonality.SeasonalPeriodCandidates.For(M4Frequency.Hourly.Step));
        Assert.Equal([12], Analytics.Seasonality.SeasonalPeriodCandidates.For(M4Frequency.Monthly.Step));
        Assert.Equal([4], Analytics.Seasonality.SeasonalPeriodCandidates.For(M4Frequency.Quarterly.Step));
        Assert.Empty(Analytics.Seasonality.SeasonalPeriodCandidates.For(M4Frequency.Yearly.Step));
    }

    [Fact]
    public void ParsingIgnoresCase()
    {
        Assert.Same(M4Frequency.Quarterly, M4Frequency.Parse(" Quarterly"));
    }

    [Fact]
    public void AnUnknownFrequencyIsNamedWithTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => M4Frequency.Parse("fortnightly"));
        Assert.Contains("'fortnightly'", error.Message);
        Assert.Contains("hourly, daily, weekly, monthly, quarterly, yearly", error.Message);
    }

    [Theory]
    [InlineData("/data/m4/Daily-train.csv", "Daily")]
    [InlineData("Yearly-test.csv", "Yearly")]
    [InlineData("/data/m4/train.csv", null)]
    public void AFileNamedAfterAFrequencyNamesIt(string path, string? expected)
    {
        Assert.Equal(expected, M4Frequency.FromFileName(path)?.Name);
    }

    [SharedDataFact]
    public void PublishedRowsAreReadForTheAskedFrequency()
    {
        var path = Path.Combine(SharedData.M4, M4Files.PublishedFileName);
        var yearly = PublishedM4Results.Load(path, M4Frequency.Yearly);
        var hourly = PublishedM4Results.Load(path, M4Frequency.Hourly);
        Assert.Equal(0.872, yearly.Single(r => r.Method == "Theta").Owa, 3);
        Assert.Equal(0.890, yearly.Single(r => r.Method == "Damped").Owa, 3);
        Assert.Equal(1.006, hourly.Single(r => r.Method == "Theta").Owa, 3);
        Assert.Equal(16.342, yearly.Single(r => r.Method == "Naive2").Smape, 3);
        Assert.Equal(0.917, PublishedM4Results.Load(path, M4Frequency.Weekly).Single(r => r.Method == "Damped").Owa, 3);
    }
}
