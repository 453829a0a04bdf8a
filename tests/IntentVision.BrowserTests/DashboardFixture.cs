using Microsoft.Playwright;

namespace IntentVision.BrowserTests;

/// <summary>One <see cref="DashboardTopology"/> for the whole collection, and where screenshots go.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Organization = DashboardTopology.Organization;
    public const int BulkPoints = DashboardTopology.BulkPoints;

    public DashboardTopology Topology { get; } = new();

    public HttpClient Api => Topology.Api;

    public long LatencySeriesId => Topology.LatencySeriesId;

    public long BulkSeriesId => Topology.BulkSeriesId;

    public long QueueSeriesId => Topology.QueueSeriesId;

    public long ForecastId => Topology.ForecastId;

    public string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await Topology.StartAsync();
    }

    public Task<IPage> NewPageAsync(ColorScheme scheme = ColorScheme.Light) => Topology.NewPageAsync(scheme);

    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task DisposeAsync() => await Topology.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard in a browser";
}
