using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace IntentVision.BrowserTests;

/// <summary>
/// The whole topology (embedded database) started with Aspire.Hosting.Testing, seeded through the API with the
/// admin key, and one Debian chromium driven by Playwright (which cannot download its own browser here). The
/// browser tests hold one in a collection fixture; the dashboard benchmark (bench/IntentVision.Dashboard.Benchmarks)
/// compiles this same file, so both measure the same topology and data.
/// </summary>
public sealed class DashboardTopology : IAsyncDisposable
{
    public const string Organization = "browser-co";
    public const string ChromiumPath = "/usr/bin/chromium";
    public const int BulkPoints = 100_000;

    /// <summary>
    /// The dashboard's polling period here: long enough that whatever appears on an open page within a test arrived
    /// by a push from the API, not by the 10 s poll.
    /// </summary>
    public const int RefreshSeconds = 600;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    private readonly string _directory = Directory.CreateTempSubdirectory("intentvision-browser-").FullName;
    private IPlaywright? _playwright;

    public DistributedApplication App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri DashboardUrl { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public string AdminKey { get; private set; } = string.Empty;

    public long LatencySeriesId { get; private set; }

    public long BulkSeriesId { get; private set; }

    public long QueueSeriesId { get; private set; }

    public long ForecastId { get; private set; }

    /// <summary>The end of the seeded data (a whole minute, a minute before the start).</summary>
    public DateTimeOffset SeedEnd { get; private set; }

    /// <summary>Every page of the navigation, plus a chart.</summary>
    public IReadOnlyList<(string Name, string Path)> Pages =>
    [
        ("overview", "/"), ("metrics", "/metrics"), ("metrics-chart", $"/metrics/{Organization}/{LatencySeriesId}"), ("forecasts", "/forecasts"),
        ("anomalies", "/anomalies"), ("alerts", "/alerts"), ("sources", "/sources"), ("migrations", "/migrations"),
    ];

    public async Task StartAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.IntentVision_AppHost>(
            ["--Database:Mode=embedded", $"--Database:Path={Path.Combine(_directory, "embedded.db")}"]);
        // The resources' own output (every request the dashboard makes) is forwarded as logs; only problems matter here.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("IntentVision.AppHost.Resources", LogLevel.Warning));
        var dashboard = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "dashboard");
        builder.CreateResourceBuilder(dashboard).WithEnvironment("Dashboard__RefreshSeconds", RefreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        App = await builder.BuildAsync().WaitAsync(StartTimeout);
        await App.StartAsync().WaitAsync(StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("api").WaitAsync(StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("dashboard").WaitAsync(StartTimeout);

        AdminKey = (await App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(p => p.Name == "admin-api-key").GetValueAsync(CancellationToken.None))!;
        Api = App.CreateHttpClient("api");
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
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

    private static string Org(string rest) => $"/api/organizations/{Organization}/{rest}";

    /// <summary>A day of minute data with a daily shape and a spike (so the detector finds anomalies), a 100,000-point series, a forecast and a source.</summary>
    private async Task SeedAsync()
    {
        (await Api.PostAsJsonAsync("/api/organizations", new { id = Organization, name = "Browser Co" })).EnsureSuccessStatusCode();

        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        SeedEnd = end = new DateTimeOffset(end.Year, end.Month, end.Day, end.Hour, end.Minute, 0, TimeSpan.Zero);
        LatencySeriesId = await IngestAsync(SpikyLatency("web.latency_ms", end, new Dictionary<string, string> { ["host"] = "web-1", ["region"] = "eu" }));

        // 100,000 minutes (about 69 days) in batches of the API's 10,000-point limit.
        var random = new Random(11);
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

        QueueSeriesId = await IngestAsync(Enumerable.Range(0, 120).Select(i => new { metric = "queue.depth", timestamp = end.AddMinutes(i - 119), value = 3.0 + i % 5, dimensions = new Dictionary<string, string> { ["queue"] = "orders" } }).ToList());

        var forecast = await Api.PostAsJsonAsync(Org("forecasts"), new { seriesId = LatencySeriesId, horizon = 120, method = "auto" });
        forecast.EnsureSuccessStatusCode();
        ForecastId = (await forecast.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        (await Api.PostAsJsonAsync(Org("sources"), new { name = "edge push", type = "webhook" })).EnsureSuccessStatusCode();

        // Detection runs in the background after ingestion; the anomaly pages need its findings.
        await WaitForAnomalyAsync(LatencySeriesId, TimeSpan.FromSeconds(60));
    }

    /// <summary>A day of minute values of a latency with a daily shape, ending at <paramref name="end"/>, with a spike 40 minutes before the end.</summary>
    public static IReadOnlyList<object> SpikyLatency(string metric, DateTimeOffset end, Dictionary<string, string> dimensions, int seed = 7)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 1440).Select(i =>
        {
            var value = 120 + 30 * Math.Sin(2 * Math.PI * i / 1440) + random.NextDouble() * 4;
            if (i is 1400 or 1401 or 1402)
            {
                value += 400;
            }

            return (object)new { metric, timestamp = end.AddMinutes(i - 1439), value, dimensions };
        }).ToList();
    }

    public async Task WaitForAnomalyAsync(long seriesId, TimeSpan patience)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        while ((await Api.GetFromJsonAsync<JsonElement>(Org($"anomalies?seriesId={seriesId}"))).GetArrayLength() == 0)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The API found no anomaly in series {seriesId} within {patience.TotalSeconds} s.");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Posts points for the organization (header form, as collectors do) and returns the first series' id.</summary>
    public async Task<long> IngestAsync<T>(IReadOnlyList<T> points)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/metrics") { Content = JsonContent.Create(new { points }) };
        request.Headers.Add("X-IntentVision-Organization", Organization);
        var response = await Api.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Ingestion failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seriesIds")[0].GetInt64();
    }

    /// <summary>A page in a new browser context (nothing cached), at the dashboard, in the given colour scheme.</summary>
    public async Task<IPage> NewPageAsync(ColorScheme scheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            BaseURL = DashboardUrl.ToString(),
            ColorScheme = scheme,
        });
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
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
