using System.Diagnostics;
using IntentVision.BrowserTests;
using IntentVision.Dashboard.Benchmarks;
using Microsoft.Playwright;

// The dashboard's goals measured in a real browser against the real topology (Aspire, embedded database):
// first load of every page (bytes on the wire) under `dotnet run` and in a published build, the first draw of the
// 100,000-point chart, the redraw after a drag-zoom and after a zoom-out, and the time from an ingest request to
// the anomaly it causes appearing on an open Overview page. Medians of several runs; nothing asserted.
var runs = args.Contains("--runs") ? int.Parse(args[Array.IndexOf(args, "--runs") + 1], System.Globalization.CultureInfo.InvariantCulture) : 7;
var skipPublished = args.Contains("--skip-published");

await using var topology = new DashboardTopology();
Console.WriteLine("Starting the topology and seeding (100,000-point series included)...");
await topology.StartAsync();
var org = DashboardTopology.Organization;
var bulkChart = $"/metrics/{org}/{topology.BulkSeriesId}";
var results = new List<string>();

// Warm the server once (JIT, first queries): an analyst never pays that twice.
var warm = await topology.NewPageAsync();
foreach (var (_, path) in topology.Pages)
{
    await warm.OpenAsync(path);
}

await warm.OpenAsync(bulkChart);
await warm.Context.CloseAsync();

// 1. First load of every page, cold browser cache, under `dotnet run` (Development).
results.AddRange(await FirstLoadAsync(topology, topology.DashboardUrl, "dotnet run"));

// 2. First draw of the 100,000-point chart: from the navigation's start until the line is in the page.
var firstDraw = new Measurements("first draw of the 100,000-point chart", "ms");
for (var run = 0; run < runs; run++)
{
    firstDraw.Add(await ColdDrawAsync(topology, bulkChart, 500));
}

results.Add($"{firstDraw} (goal <= 1,000 ms)");

// 3. Zoom in (drag) and out (button) on the live 100,000-point chart: from the pointer's release until the chart's
//    new window is in the page. Reference: opening the same zoomed URL cold (what a reload would cost).
var zoomIn = new Measurements("redraw after drag-zoom in", "ms");
var zoomOut = new Measurements("redraw after zoom out", "ms");
var reload = new Measurements("reference: opening a zoomed URL cold", "ms");
var chart = await topology.NewPageAsync();
await chart.OpenAsync(bulkChart);
await chart.WaitForFunctionAsync(PageExtensions.ActualLineDrawn, 500);
await chart.EvaluateAsync("""
    () => {
        window.ivBench = { start: 0 };
        document.addEventListener('pointerup', () => window.ivBench.start = performance.now(), true);
        window.ivBench.redrawn = () => new Promise(resolve => {
            const svg = document.querySelector('[data-testid=series-chart-svg]');
            const before = svg.dataset.fromMs;
            const observer = new MutationObserver(() => {
                if (svg.dataset.fromMs !== before) {
                    observer.disconnect();
                    requestAnimationFrame(() => resolve(performance.now() - window.ivBench.start));
                }
            });
            observer.observe(svg, { attributes: true });
        });
    }
    """);
for (var run = 0; run < runs; run++)
{
    var redrawn = chart.EvaluateAsync<double>("() => ivBench.redrawn()");
    await chart.DragAcrossChartAsync(0.3, 0.7);
    zoomIn.Add(await redrawn);
    var zoomedUrl = chart.Url;

    redrawn = chart.EvaluateAsync<double>("() => ivBench.redrawn()");
    await chart.GetByTestId("zoom-out").ClickAsync();
    zoomOut.Add(await redrawn);

    reload.Add(await ColdDrawAsync(topology, zoomedUrl, 100));
}

results.Add($"{zoomIn} (goal <= 300 ms)");
results.Add($"{zoomOut} (goal <= 300 ms)");
results.Add($"{reload}; in-page zoom takes {zoomIn.Median / reload.Median:P0} of it");
await chart.Context.CloseAsync();

// 4. Push: an ingest request whose points hold a spike, until the anomaly's row is on the open Overview page.
//    The dashboard polls only every DashboardTopology.RefreshSeconds here, so the row arrives by push.
var push = new Measurements("ingest request to the anomaly on the open Overview", "ms");
var overview = await topology.NewPageAsync();
await overview.OpenAsync("/");
await overview.GetByTestId("live").WaitForAsync(new LocatorWaitForOptions { Timeout = PageExtensions.Timeout });
for (var run = 0; run < runs; run++)
{
    var metric = $"push{run}.latency_ms";
    var appeared = overview.EvaluateAsync<double>("""
        metric => new Promise(resolve => {
            const seen = () => [...document.querySelectorAll('[data-testid=latest-anomaly] a')].some(a => a.textContent.startsWith(metric));
            const observer = new MutationObserver(() => { if (seen()) { observer.disconnect(); resolve(Date.now()); } });
            observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        })
        """, metric);
    var end = DateTimeOffset.UtcNow;
    end = new DateTimeOffset(end.Year, end.Month, end.Day, end.Hour, end.Minute, 0, TimeSpan.Zero).AddMinutes(run);
    var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    await topology.IngestAsync(DashboardTopology.SpikyLatency(metric, end, new() { ["host"] = $"bench-{run}" }, seed: 100 + run));
    push.Add(await appeared.WaitAsync(TimeSpan.FromSeconds(60)) - sent);
}

results.Add($"{push} (goal <= 2,000 ms)");
await overview.Context.CloseAsync();

// 5. First load of every page from a published build (Release, Production, precompressed assets).
if (!skipPublished)
{
    await using var published = new PublishedDashboard();
    await published.StartAsync(PageExtensions.RepositoryRoot(), topology.App.GetEndpoint("api", "http"), topology.AdminKey);
    var warmPublished = await NewPageAtAsync(topology, published.Url);
    foreach (var (_, path) in topology.Pages)
    {
        await warmPublished.OpenAsync(path);
    }

    await warmPublished.Context.CloseAsync();
    results.AddRange(await FirstLoadAsync(topology, published.Url, "published"));
}

Console.WriteLine();
Console.WriteLine("IntentVision dashboard benchmark (medians; shared machine, numbers vary with load)");
foreach (var line in results)
{
    Console.WriteLine("  " + line);
}

// A navigation with an empty browser cache, from its start until the chart's line has at least minPoints points.
static async Task<double> ColdDrawAsync(DashboardTopology topology, string url, int minPoints)
{
    var page = await topology.NewPageAsync();
    var clock = Stopwatch.StartNew();
    await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
    await page.WaitForFunctionAsync(PageExtensions.ActualLineDrawn, minPoints, new PageWaitForFunctionOptions { PollingInterval = 5, Timeout = PageExtensions.Timeout });
    var elapsed = clock.ElapsedMilliseconds;
    await page.Context.CloseAsync();
    return elapsed;
}

static async Task<IPage> NewPageAtAsync(DashboardTopology topology, Uri baseUrl)
{
    var context = await topology.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, BaseURL = baseUrl.ToString() });
    return await context.NewPageAsync();
}

static async Task<IEnumerable<string>> FirstLoadAsync(DashboardTopology topology, Uri baseUrl, string how)
{
    var lines = new List<string>();
    var heaviest = 0.0;
    foreach (var (name, path) in topology.Pages)
    {
        var bytes = new Measurements($"first load of {name} ({how})", "bytes");
        for (var run = 0; run < 3; run++)
        {
            var page = await NewPageAtAsync(topology, baseUrl);
            await page.OpenAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            bytes.Add(await page.TransferredBytesAsync());
            await page.Context.CloseAsync();
        }

        heaviest = Math.Max(heaviest, bytes.Median);
        lines.Add(bytes.ToString());
    }

    lines.Add($"heaviest first load ({how}): {heaviest:N0} bytes (goal <= 1,000,000)");
    return lines;
}
