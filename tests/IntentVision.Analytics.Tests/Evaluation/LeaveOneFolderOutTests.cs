using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Evaluation.Nab;

namespace IntentVision.Analytics.Tests.Evaluation;

public sealed class LeaveOneFolderOutTests
{
    [Fact]
    public void GridHoldsEveryCombinationWithTheLastAxisVaryingFastest()
    {
        var grid = LeaveOneFolderOut.Grid("ContextBits=3,4;ContextRestPeriod+IncidentLength=50,100");

        Assert.Equal(
            ["ContextBits 3, ContextRestPeriod 50", "ContextBits 3, ContextRestPeriod 100", "ContextBits 4, ContextRestPeriod 50", "ContextBits 4, ContextRestPeriod 100"],
            grid.Select(g => g.Name));
        var last = grid[^1].Settings;
        Assert.Equal((4, 100, 100), (last.Detector.ContextBits, last.Detector.ContextRestPeriod, last.IncidentLength));
        Assert.Equal(MonitorSettings.Default.Detector.SpatialMargin, last.Detector.SpatialMargin);
    }

    [Fact]
    public void DefaultGridContainsTheDefaultSettings()
    {
        Assert.Contains(LeaveOneFolderOut.Grid(LeaveOneFolderOut.DefaultGrid), g => g.Settings == MonitorSettings.Default);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ContextBits")]
    [InlineData("ContextBits=")]
    [InlineData("NoSuchSetting=1")]
    public void MalformedGridIsRejected(string specification)
    {
        Assert.Throws<ArgumentException>(() => LeaveOneFolderOut.Grid(specification));
    }
}
