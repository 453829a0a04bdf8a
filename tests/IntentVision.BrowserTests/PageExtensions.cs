using Microsoft.Playwright;

namespace IntentVision.BrowserTests;

internal static class PageExtensions
{
    public const float Timeout = 30_000;

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
}
