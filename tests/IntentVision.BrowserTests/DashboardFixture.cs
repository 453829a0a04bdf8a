using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace IntentVision.BrowserTests;

/// <summary>
/// The whole topology (embedded database) started once with Aspire.Hosting.Testing, seeded through the API with
/// the admin key, and one Debian chromium driven by Playwright. Playwright cannot download its own browser here.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Organization = "browser-co";
    public const string ChromiumPath = "/usr/bin/chromium";
    public const int BulkPoints = 100_000;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    private readonly string _directory = Directory.CreateTempSubdirectory("intentvision-browser-").FullName;
    private IPlaywright? _playwright;

    public DistributedApplication App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri DashboardUrl { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public long LatencySeriesId { get; private set; }

    public long BulkSeriesId { get; private set; }

    public long ForecastId { get; private set; }

    public string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.IntentVision_AppHost>(
            ["--Database:Mode=embedded", $"--Database:Path={Path.Combine(_directory, "embedded.db")}"]);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        App = await builder.BuildAsync().WaitAsync(StartTimeout);
        await App.StartAsync().WaitAsync(StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("api").WaitAsync(StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("dashboard").WaitAsync(StartTimeout);

        var adminKey = await App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(p => p.Name == "admin-api-key").GetValueAsync(CancellationToken.None);
        Api = App.CreateHttpClient("api");
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        DashboardUrl = App.GetEndpoint("dashboard", "http");

        var browserTask = LaunchBrowserAsync();
        await SeedAsync();
        await browserTask;
    }

    private async Task LaunchBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    private string Org(string rest) => $"/api/organizations/{Organization}/{rest}";

    /// <summary>A day of minute data with a daily shape and a spike (so the detector finds anomalies), a 100,000-point series, a forecast and a source.</summary>
    private async Task SeedAsync()
    {
        (await Api.PostAsJsonAsync("/api/organizations", new { id = Organization, name = "Browser Co" })).EnsureSuccessStatusCode();

        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        end = new DateTimeOffset(end.Year, end.Month, end.Day, end.Hour, end.Minute, 0, TimeSpan.Zero);
        var random = new Random(7);
        var latency = Enumerable.Range(0, 1440).Select(i =>
        {
            var t = end.AddMinutes(i - 1439);
            var value = 120 + 30 * Math.Sin(2 * Math.PI * i / 1440) + random.NextDouble() * 4;
            if (i is 1400 or 1401 or 1402)
            {
                value += 400;
            }

            return new { metric = "web.latency_ms", timestamp = t, value, dimensions = new Dictionary<string, string> { ["host"] = "web-1", ["region"] = "eu" } };
        }).ToList();
        LatencySeriesId = await IngestAsync(latency);

        // 100,000 minutes (about 69 days) in batches of the API's 10,000-point limit.
        for (var batch = 0; batch < BulkPoints / 10_000; batch++)
        {
            var points = Enumerable.Range(batch * 10_000, 10_000).Select(i => new
            {
                metric = "bulk.requests",
                timestamp = end.AddMinutes(i - (BulkPoints - 1)),
                value = 1000 + 200 * Math.Sin(2 * Math.PI * i / 1440) + random.NextDouble() * 50,
                dimensions = new Dictionary<string, string> { ["service"] = "checkout" },
            }).ToList();
            BulkSeriesId = await IngestAsync(points);
        }

        await IngestAsync([new { metric = "queue.depth", timestamp = end, value = 3.0, dimensions = new Dictionary<string, string> { ["queue"] = "orders" } }]);

        var forecast = await Api.PostAsJsonAsync(Org("forecasts"), new { seriesId = LatencySeriesId, horizon = 120, method = "auto" });
        forecast.EnsureSuccessStatusCode();
        ForecastId = (await forecast.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        (await Api.PostAsJsonAsync(Org("sources"), new { name = "edge push", type = "webhook" })).EnsureSuccessStatusCode();

        // Detection runs in the background after ingestion; the anomaly pages need its findings.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while ((await Api.GetFromJsonAsync<JsonElement>(Org($"anomalies?seriesId={LatencySeriesId}"))).GetArrayLength() == 0)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("The API found no anomaly in the seeded spike within 60 s.");
            }

            await Task.Delay(500);
        }
    }

    private async Task<long> IngestAsync<T>(IReadOnlyList<T> points)
    {
        // The platform admin names the organization in the header (the path form takes the same 8 MiB ingest limit).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/metrics") { Content = JsonContent.Create(new { points }) };
        request.Headers.Add("X-IntentVision-Organization", Organization);
        var response = await Api.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Seeding failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seriesIds")[0].GetInt64();
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, BaseURL = DashboardUrl.ToString() });
        return await context.NewPageAsync();
    }

    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Api?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The API may still hold the database file for a moment; the temp folder is the OS's to clean.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard in a browser";
}
