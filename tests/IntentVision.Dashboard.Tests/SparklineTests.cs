using System.Globalization;
using Bunit;
using IntentVision.Dashboard.Components.Charts;
using IntentVision.Dashboard.Services;
using IntentVision.Dashboard.Services.Formatting;

namespace IntentVision.Dashboard.Tests;

public sealed class SparklineTests() : DashboardTestContext(new()
{
    ["/api/organizations/acme/series/7/points"] = CannedJson.Points7,
})
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<PointDto> Line(params double[] values) => values.Select((v, i) => new PointDto(T0.AddMinutes(i), v)).ToList();

    private static List<(double X, double Y)> Vertices(string points) =>
        points.Split(' ').Select(p => p.Split(',')).Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture))).ToList();

    [Fact]
    public void DrawsEveryPointLeftToRightWithTheHighestValueAtTheTop()
    {
        var spark = Render<Sparkline>(p => p.Add(x => x.Points, Line(1, 5, 3, 9, 2)).Add(x => x.Width, 100).Add(x => x.Height, 24));
        var vertices = Vertices(spark.Find("polyline").GetAttribute("points")!);
        Assert.Equal(5, vertices.Count);
        Assert.Equal(vertices.OrderBy(v => v.X).ToList(), vertices);
        Assert.Equal(vertices[3], vertices.MinBy(v => v.Y));
        Assert.Equal(vertices[0], vertices.MaxBy(v => v.Y));
        Assert.All(vertices, v => Assert.InRange(v.Y, 0, 24));
    }

    [Fact]
    public void MarksTheRowsMomentAndDescribesTheLineInWords()
    {
        var spark = Render<Sparkline>(p => p.Add(x => x.Points, Line(100, 120, 900, 110)).Add(x => x.Marker, new PointDto(T0.AddMinutes(2), 900))
            .Add(x => x.Unit, MetricUnit.Milliseconds).Add(x => x.Label, "web.latency_ms"));
        var marker = spark.Find("[data-testid=sparkline-marker]");
        var peak = Vertices(spark.Find("polyline").GetAttribute("points")!)[2];
        Assert.Equal(peak.X.ToString("0.#", CultureInfo.InvariantCulture), marker.GetAttribute("cx"));
        Assert.Equal(peak.Y.ToString("0.#", CultureInfo.InvariantCulture), marker.GetAttribute("cy"));
        Assert.Equal("web.latency_ms from 100 ms to 900 ms over 4 points; the marked point is 900 ms", spark.Find("svg").GetAttribute("aria-label"));
    }

    [Fact]
    public void AFlatLineSitsInTheMiddleAndTooFewPointsSayNoData()
    {
        var flat = Render<Sparkline>(p => p.Add(x => x.Points, Line(4, 4, 4)).Add(x => x.Height, 20));
        Assert.All(Vertices(flat.Find("polyline").GetAttribute("points")!), v => Assert.Equal(10, v.Y));
        var empty = Render<Sparkline>(p => p.Add(x => x.Points, Line(4)));
        Assert.Equal("no data", empty.Find("[data-testid=sparkline-empty]").TextContent);
    }

    [Fact]
    public void ARowsSparklineAsksForTheHourAroundItsMomentOnceEvenWhenRedrawn()
    {
        var around = new DateTimeOffset(2026, 11, 1, 0, 1, 0, TimeSpan.Zero);
        var row = Render<SeriesSparkline>(p => p.Add(x => x.OrganizationId, "acme").Add(x => x.SeriesId, 7L).Add(x => x.Around, around).Add(x => x.Value, 5.0));
        row.WaitForAssertion(() => Assert.NotNull(row.Find("[data-testid=sparkline]")));
        var request = Assert.Single(Api.Requests, r => r.StartsWith("/api/organizations/acme/series/7/points", StringComparison.Ordinal));
        Assert.Contains("from=2026-10-31T23%3A31%3A00.000Z", request);
        Assert.Contains("to=2026-11-01T00%3A31%3A00.000Z", request);
        Assert.Contains("maxPoints=120", request);

        var again = Render<SeriesSparkline>(p => p.Add(x => x.OrganizationId, "acme").Add(x => x.SeriesId, 7L).Add(x => x.Around, around).Add(x => x.Value, 5.0));
        again.WaitForAssertion(() => Assert.NotNull(again.Find("[data-testid=sparkline]")));
        Assert.Single(Api.Requests, r => r.StartsWith("/api/organizations/acme/series/7/points", StringComparison.Ordinal));
    }
}
