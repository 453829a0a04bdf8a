using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace IntentVision.BrowserTests;

/// <summary>axe-core on every page in light and dark mode, keyboard navigation, and the focus after navigating.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AccessibilityTests(DashboardFixture dashboard, ITestOutputHelper output)
{
    public static TheoryData<string, ColorScheme> PagesInBothSchemes()
    {
        var data = new TheoryData<string, ColorScheme>();
        foreach (var page in new[] { "overview", "metrics", "metrics-chart", "forecasts", "anomalies", "alerts", "sources", "migrations" })
        {
            data.Add(page, ColorScheme.Light);
            data.Add(page, ColorScheme.Dark);
        }

        return data;
    }

    private string PathOf(string name) => dashboard.Topology.Pages.Single(p => p.Name == name).Path;

    [Theory]
    [MemberData(nameof(PagesInBothSchemes))]
    public async Task EveryPageHasNoSeriousOrCriticalAxeViolation(string name, ColorScheme scheme)
    {
        var page = await dashboard.NewPageAsync(scheme);
        await page.OpenAsync(PathOf(name));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.GetByTestId("loading")).ToHaveCountAsync(0);
        var path = await dashboard.ScreenshotAsync(page, $"{name}-{scheme.ToString().ToLowerInvariant()}");
        output.WriteLine($"screenshot: {path}");

        var violations = await page.SeriousAccessibilityViolationsAsync();
        Assert.True(violations.Count == 0, $"{name} ({scheme}):\n" + string.Join("\n", violations));
    }

    [Theory]
    [InlineData("overview")]
    [InlineData("metrics-chart")]
    [InlineData("anomalies")]
    [InlineData("alerts")]
    [InlineData("sources")]
    public async Task TheKeyboardReachesEveryControlOfThePage(string name)
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync(PathOf(name));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var controls = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('a[href], button:not([disabled]), select, input:not([type=hidden]), textarea')]
                .filter(e => e.offsetParent !== null && e.tabIndex >= 0 && !e.closest('[aria-hidden=true]'))
                .map((e, i) => (e.dataset.kb = 'c' + i))
            """);
        Assert.NotEmpty(controls);

        var reached = new HashSet<string>();
        for (var i = 0; i < controls.Length * 2 + 10 && reached.Count < controls.Length; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string?>("() => document.activeElement?.dataset.kb ?? null") is { } id)
            {
                reached.Add(id);
            }
        }

        var missed = await page.EvaluateAsync<string[]>(
            "ids => ids.map(id => document.querySelector(`[data-kb=${id}]`)).map(e => e.outerHTML.slice(0, 120))",
            controls.Except(reached).ToArray());
        Assert.True(missed.Length == 0, $"Tab never reached on {name}:\n" + string.Join("\n", missed));
    }

    [Fact]
    public async Task NavigatingMovesFocusToTheHeadingWithoutDrawingABoxAroundIt()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Anomalies" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Anomalies");
        await Expect(page.Locator("h1")).ToBeFocusedAsync();
        var outline = await page.EvaluateAsync<string>("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; }");
        Assert.StartsWith("none", outline);
        await dashboard.ScreenshotAsync(page, "after-navigation");
    }
}
