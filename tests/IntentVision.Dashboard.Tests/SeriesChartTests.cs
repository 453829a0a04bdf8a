using Bunit;
using IntentVision.Dashboard.Components.Charts;

namespace IntentVision.Dashboard.Tests;

public sealed class SeriesChartTests() : DashboardTestContext([])
{
    private static readonly DateTime T0 = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    private IRenderedComponent<SeriesChart> RenderChart()
    {
        var actual = Enumerable.Range(0, 10).Select(i => new ChartPoint(T0.AddMinutes(i), i == 6 ? 50 : 10 + i)).ToList();
        var forecast = Enumerable.Range(10, 5).Select(i => new BandPoint(T0.AddMinutes(i), 20, 15, 25, 10, 30)).ToList();
        var anomalies = new List<AnomalyMarker> { new(1, T0.AddMinutes(6), 50, 16, 7.5, "high"), new(2, T0.AddMinutes(8), 18, 17, 3.25, "low") };
        var chart = Render<SeriesChart>(p => p.Add(x => x.Actual, actual).Add(x => x.Forecast, forecast).Add(x => x.Anomalies, anomalies));
        chart.WaitForAssertion(() => Assert.NotEmpty(chart.FindAll("svg g.rz-line-series path")));
        return chart;
    }

    [Fact]
    public void Draws_the_actual_values_as_a_solid_svg_line_through_every_point()
    {
        var chart = RenderChart();
        var lines = chart.FindAll("svg g.rz-line-series > path");
        var actual = lines.Single(l => l.GetAttribute("stroke-dasharray") is null);
        Assert.Equal(10, actual.GetAttribute("d")!.Split(['M', 'L'], StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Draws_the_forecast_dashed_and_the_80_and_95_percent_bands_as_filled_areas()
    {
        var chart = RenderChart();
        Assert.Single(chart.FindAll("svg g.rz-line-series > path[stroke-dasharray]"));
        var bands = chart.FindAll("svg g.rz-range-area-series");
        Assert.Equal(2, bands.Count);
        Assert.All(bands, b => Assert.NotNull(b.QuerySelector("path[fill]")));
        Assert.Contains(chart.FindAll(".rz-legend-item-text"), t => t.TextContent == "80% interval");
        Assert.Contains(chart.FindAll(".rz-legend-item-text"), t => t.TextContent == "95% interval");
    }

    [Fact]
    public void Marks_each_anomaly_with_an_svg_circle_at_its_value()
    {
        var chart = RenderChart();
        var markers = chart.FindAll("svg g.rz-scatter-series circle");
        Assert.Equal(2, markers.Count);
        Assert.All(markers, m => Assert.Equal("#b91c1c", m.GetAttribute("fill")));
        // The 50 spike is the chart's maximum, so its marker sits on the top edge of the plot.
        Assert.Contains(markers, m => m.GetAttribute("cy") == "0");
    }

    [Fact]
    public void Without_a_forecast_it_draws_only_the_actual_line()
    {
        var chart = Render<SeriesChart>(p => p.Add(x => x.Actual, [new ChartPoint(T0, 1), new ChartPoint(T0.AddMinutes(1), 2)]));
        chart.WaitForAssertion(() => Assert.Single(chart.FindAll("svg g.rz-line-series")));
        Assert.Empty(chart.FindAll("svg g.rz-range-area-series"));
        Assert.Empty(chart.FindAll("svg g.rz-scatter-series"));
    }
}
