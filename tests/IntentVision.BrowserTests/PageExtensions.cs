using Microsoft.Playwright;

namespace IntentVision.BrowserTests;

public static class PageExtensions
{
    public const float Timeout = 30_000;

    /// <summary>In the page: the chart's main series line (not an overlay or the forecast) with at least this many points.</summary>
    public const string ActualLineDrawn = """
        min => ((document.querySelector('[data-testid=series-chart] path[data-series=actual]')?.getAttribute('d') || '').match(/[ML]/g) || []).length >= min
        """;

    /// <summary>
    /// Opens a dashboard page and waits until its circuit is live (the layout marks itself once it renders
    /// interactively): clicks before that would land on the prerendered HTML and do nothing.
    /// </summary>
    public static async Task OpenAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator(".iv-shell[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = Timeout });
    }

    /// <summary>Types into a field bound with @bind (which listens for change) and lets the circuit see it.</summary>
    public static async Task SetAsync(this IPage page, string selector, string value)
    {
        var field = page.Locator(selector);
        await field.FillAsync(value);
        await field.DispatchEventAsync("change");
    }

    /// <summary>The repository's root (where package.json and node_modules are), found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "package.json")) && Directory.Exists(Path.Combine(directory.FullName, "node_modules")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("No package.json with node_modules above the test binaries: run npm ci --ignore-scripts in the repository.");
    }

    /// <summary>
    /// Runs axe-core (the npm package pinned in package.json, injected from node_modules) on the page and returns
    /// its serious and critical violations, each as "rule (impact): help — first offending elements".
    /// </summary>
    public static async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync(this IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Path.Combine(RepositoryRoot(), "node_modules", "axe-core", "axe.min.js") });
        return await page.EvaluateAsync<string[]>("""
            async () => {
                const results = await axe.run(document, { resultTypes: ['violations'] });
                return results.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(' | ')}`);
            }
            """);
    }

    /// <summary>Bytes the browser received for the page and everything it loaded (compressed, as on the wire), from the Resource Timing entries.</summary>
    public static async Task<long> TransferredBytesAsync(this IPage page) =>
        (long)(await page.TransferredResourcesAsync()).Sum(r => r.TransferSize);

    /// <summary>
    /// What the browser received for the page and everything it loaded, from the Resource Timing entries: each entry's
    /// path, bytes on the wire (compressed, headers included), and encoded and decoded body sizes.
    /// </summary>
    public static async Task<IReadOnlyList<TransferredResource>> TransferredResourcesAsync(this IPage page) =>
        System.Text.Json.JsonSerializer.Deserialize<TransferredResource[]>(
            await page.EvaluateAsync<string>("""
                () => JSON.stringify([...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
                    .map(e => ({ path: new URL(e.name).pathname, transferSize: e.transferSize, encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize })))
                """),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

    /// <summary>Drags across the chart's plot from one fraction of its width to another, with the real mouse, as an analyst zooms.</summary>
    public static async Task DragAcrossChartAsync(this IPage page, double fromFraction, double toFraction)
    {
        // The drag handlers arrive by a JS call after the chart's interactive render; a drag before that does nothing.
        await page.Locator("[data-testid=series-chart-svg][data-zoom-attached=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = Timeout });
        var box = await page.EvaluateAsync<double[]>("""
            () => {
                const svg = document.querySelector('[data-testid=series-chart-svg]');
                const r = svg.getBoundingClientRect();
                const scale = r.width / svg.viewBox.baseVal.width;
                return [r.left + +svg.dataset.plotLeft * scale, +svg.dataset.plotWidth * scale, r.top + (+svg.dataset.plotTop + +svg.dataset.plotHeight / 2) * scale];
            }
            """);
        await page.Mouse.MoveAsync((float)(box[0] + box[1] * fromFraction), (float)box[2]);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(box[0] + box[1] * (fromFraction + toFraction) / 2), (float)box[2], new MouseMoveOptions { Steps = 3 });
        await page.Mouse.MoveAsync((float)(box[0] + box[1] * toFraction), (float)box[2], new MouseMoveOptions { Steps = 3 });
        await page.Mouse.UpAsync();
    }
}

/// <summary>One Resource Timing entry of a page load (see <see cref="PageExtensions.TransferredResourcesAsync"/>).</summary>
public sealed record TransferredResource(string Path, double TransferSize, double EncodedBodySize, double DecodedBodySize)
{
    public override string ToString() => $"{Path}: {TransferSize:N0} on the wire, body {EncodedBodySize:N0} encoded, {DecodedBodySize:N0} decoded";
}
