using IntentVision.Dashboard.Services;

namespace IntentVision.Dashboard.Tests;

public sealed class ExplorerViewTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AViewSurvivesTheRoundTripThroughItsUrl()
    {
        var view = ExplorerView.Default.ZoomTo(From, From.AddHours(2)) with { ResolutionKey = "5m", Compare = [12, 13], ShiftDays = 7 };
        var query = view.ToQuery();
        Assert.Equal("from=2026-11-01T10%3A00%3A00.000Z&to=2026-11-01T12%3A00%3A00.000Z&res=5m&compare=12,13&shift=7", query);
        var values = query.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        var back = ExplorerView.Parse(values.GetValueOrDefault("range"), values["res"], values["from"], values["to"], values["compare"], values["shift"]);
        Assert.True(view.SameAs(back));
    }

    [Fact]
    public void TheDefaultViewHasAnEmptyQuery() => Assert.Equal(string.Empty, ExplorerView.Default.ToQuery());

    [Fact]
    public void MalformedValuesFallBackToTheDefaults()
    {
        var view = ExplorerView.Parse("forever", "1y", "yesterday", "2026-11-01T00:00:00Z", "1,x,1,-4", "3");
        Assert.Equal("all", view.RangeKey);
        Assert.Equal("auto", view.ResolutionKey);
        Assert.False(view.IsZoomed);
        Assert.Equal([1L], view.Compare);
        Assert.Equal(0, view.ShiftDays);
        Assert.False(ExplorerView.Parse(null, null, "2026-11-01T02:00:00Z", "2026-11-01T01:00:00Z", null, null).IsZoomed);
    }

    [Fact]
    public void AtMostSevenSeriesAreOverlaidBesideTheMainOne()
    {
        var view = ExplorerView.Parse(null, null, null, null, "1,2,3,4,5,6,7,8,9", null);
        Assert.Equal(7, view.Compare.Count);
        Assert.Same(view, view.WithCompared(10));
        Assert.Equal([1L, 2, 3, 4, 5, 6], view.WithoutCompared(7).Compare);
    }

    [Fact]
    public void ZoomingOutDoublesTheWindowZoomingInHalvesItAndPanningMovesItByHalf()
    {
        var to = From.AddHours(2);
        var wider = ExplorerView.Default.ZoomOut(From, to);
        Assert.Equal((From.AddHours(-1), to.AddHours(1)), (wider.From!.Value, wider.To!.Value));
        var earlier = ExplorerView.Default.Pan(From, to, -1);
        Assert.Equal((From.AddHours(-1), to.AddHours(-1)), (earlier.From!.Value, earlier.To!.Value));
        Assert.False(earlier.Reset().IsZoomed);
        var narrower = ExplorerView.Default.ZoomIn(From, to);
        Assert.Equal((From.AddMinutes(30), to.AddMinutes(-30)), (narrower.From!.Value, narrower.To!.Value));
    }
}
