using System.Globalization;
using Bunit;
using IntentVision.Dashboard.Components.Charts;
using IntentVision.Dashboard.Services.Formatting;

namespace IntentVision.Dashboard.Tests;

public sealed class SeriesChartTests() : DashboardTestContext([])
{
    private static readonly DateTime T0 = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly List<ChartPoint> Actual = Enumerable.Range(0, 10).Select(i => new ChartPoint(T0.AddMinutes(i), i == 6 ? 50 : 10 + i)).ToList();

    private IRenderedComponent<SeriesChart> RenderChart(Action<ComponentParameterCollectionBuilder<SeriesChart>>? more = null)
    {
        var forecast = Enumerable.Range(10, 5).Select(i => new BandPoint(T0.AddMinutes(i), 20, 15, 25, 10, 30)).ToList();
        var anomalies = new List<AnomalyMarker> { new(1, T0.AddMinutes(6), 50, 16, 7.5, "high"), new(2, T0.AddMinutes(8), 18, 17, 3.25, "low") };
        return Render<SeriesChart>(p =>
        {
            p.Add(x => x.Actual, Actual).Add(x => x.Forecast, forecast).Add(x => x.Anomalies, anomalies).Add(x => x.Title, "Chart of cpu");
            more?.Invoke(p);
        });
    }

    private static int Vertices(string? path) => (path ?? string.Empty).Split(['M', 'L'], StringSplitOptions.RemoveEmptyEntries).Length;

    [Fact]
    public void DrawsTheActualValuesAsASolidLineThroughEveryPoint()
    {
        var chart = RenderChart();
        var actual = chart.Find("path[data-series=actual]");
        Assert.Equal(10, Vertices(actual.GetAttribute("d")));
        Assert.DoesNotContain("iv-dashed", actual.ClassName);
    }

    [Fact]
    public void DrawsTheForecastDashedWithItsEightyAndNinetyFivePercentBands()
    {
        var chart = RenderChart();
        Assert.Equal(5, Vertices(chart.Find("path[data-series=forecast]").GetAttribute("d")));
        Assert.EndsWith("Z", chart.Find("[data-testid=band-80]").GetAttribute("d"));
        Assert.EndsWith("Z", chart.Find("[data-testid=band-95]").GetAttribute("d"));
        var legend = chart.Find(".iv-legend").TextContent;
        Assert.Contains("80% interval", legend);
        Assert.Contains("95% interval", legend);
    }

    [Fact]
    public void MarksEachAnomalyWithACircleAtItsValueAndSaysWhatItIsOnHover()
    {
        var chart = RenderChart();
        var markers = chart.FindAll("[data-testid=anomaly-marker]");
        Assert.Equal(2, markers.Count);
        // The 50 spike is the chart's maximum: its marker sits on the top edge of the plot (the scale's top is 50).
        Assert.Contains(markers, m => m.GetAttribute("cy") == "10");
        Assert.Contains("Anomaly (high)", markers[0].QuerySelector("title")!.TextContent);
        Assert.Contains("score 7.50", markers[0].QuerySelector("title")!.TextContent);
    }

    [Fact]
    public void ClipsForecastBandsToTheSeriesDomain()
    {
        var below = Enumerable.Range(10, 3).Select(i => new BandPoint(T0.AddMinutes(i), 5, -40, 30, -200, 60)).ToList();
        var chart = Render<SeriesChart>(p => p.Add(x => x.Actual, Actual).Add(x => x.Forecast, below).Add(x => x.Domain, new ValueDomain(0, double.PositiveInfinity)));
        var svg = chart.Find("svg");
        var plotBottom = double.Parse(svg.GetAttribute("data-plot-top")!, CultureInfo.InvariantCulture) + double.Parse(svg.GetAttribute("data-plot-height")!, CultureInfo.InvariantCulture);
        var ys = chart.Find("[data-testid=band-95]").GetAttribute("d")!.Split(['M', 'L', 'Z'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => double.Parse(p.Split(' ')[1], CultureInfo.InvariantCulture)).ToList();
        // Clipped at 0, the lowest edge of the band is the bottom of the plot (the axis starts at 0), not below it.
        Assert.Equal(plotBottom, ys.Max(), 1);
        Assert.DoesNotContain(chart.FindAll(".iv-grid text"), t => t.TextContent.StartsWith('-'));
    }

    [Fact]
    public void DrawsEveryOverlaidLineWithItsOwnColourAndLegend()
    {
        var overlays = Enumerable.Range(1, 7).Select(n => new ChartLine($"series-{n}", $"other {n}", Actual.Select(p => p with { Value = p.Value + n }).ToList())).ToList();
        var chart = RenderChart(p => p.Add(x => x.Overlays, overlays));
        Assert.Equal(8, chart.FindAll("path.iv-line:not(.iv-forecast)").Count);
        Assert.Equal("8", chart.Find("svg").GetAttribute("data-lines"));
        Assert.Equal(8, chart.FindAll("path.iv-line:not(.iv-forecast)").Select(p => p.ClassName).Distinct().Count());
        Assert.Contains("other 7", chart.Find(".iv-legend").TextContent);
    }

    [Fact]
    public void HasATextAlternativeThatSummarisesWhatIsDrawn()
    {
        var chart = RenderChart(p => p.Add(x => x.Unit, MetricUnit.Milliseconds));
        var svg = chart.Find("svg");
        Assert.Equal("img", svg.GetAttribute("role"));
        var ids = svg.GetAttribute("aria-labelledby")!.Split(' ');
        Assert.Equal("Chart of cpu", chart.Find($"#{ids[0]}").TextContent);
        var summary = chart.Find($"#{ids[1]}").TextContent;
        Assert.Contains("Actual: 10 points, lowest 10 ms at 2026-11-01 00:00, highest 50 ms at 2026-11-01 00:06", summary);
        Assert.Contains("2 anomalies", summary);
    }

    [Fact]
    public void AZoomedWindowIsDrawnAndADragReportsTheWindowSelected()
    {
        ChartRange? zoomed = null;
        var chart = RenderChart(p => p.Add(x => x.From, T0.AddMinutes(2)).Add(x => x.To, T0.AddMinutes(4)).Add(x => x.OnZoom, r => zoomed = r));
        var svg = chart.Find("svg");
        Assert.Equal(((long)(T0.AddMinutes(2) - DateTime.UnixEpoch).TotalMilliseconds).ToString(CultureInfo.InvariantCulture), svg.GetAttribute("data-from-ms"));
        Assert.Single(JSInterop.Invocations, i => i.Identifier == "ivChart.attach");

        var from = (T0.AddMinutes(2.5) - DateTime.UnixEpoch).TotalMilliseconds;
        var to = (T0.AddMinutes(3) - DateTime.UnixEpoch).TotalMilliseconds;
        chart.InvokeAsync(() => chart.Instance.ZoomAsync(to, from));
        Assert.Equal(new ChartRange(T0.AddMinutes(2.5), T0.AddMinutes(3)), zoomed);
    }

    [Fact]
    public void WithoutAForecastItDrawsOnlyTheActualLine()
    {
        var chart = Render<SeriesChart>(p => p.Add(x => x.Actual, [new ChartPoint(T0, 1), new ChartPoint(T0.AddMinutes(1), 2)]));
        Assert.Single(chart.FindAll("path.iv-line"));
        Assert.Empty(chart.FindAll("[data-testid=band-80]"));
        Assert.Empty(chart.FindAll("[data-testid=anomaly-marker]"));
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier == "ivChart.attach");
    }
}
