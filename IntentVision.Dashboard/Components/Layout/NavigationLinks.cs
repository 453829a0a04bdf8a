namespace IntentVision.Dashboard.Components.Layout;

/// <summary>
/// The pages in the navigation, in order. A new page adds one line here (and its @page route); the layout draws
/// the links, and the browser tests visit every page listed.
/// </summary>
public static class NavigationLinks
{
    public static readonly IReadOnlyList<NavigationLink> All =
    [
        new(string.Empty, "Overview"),
        new("metrics", "Metrics explorer"),
        new("forecasts", "Forecasts"),
        new("anomalies", "Anomalies"),
        new("alerts", "Alerts and rules"),
        new("silences", "Silences"),
        new("sources", "Ingestion sources"),
        new("migrations", "Migrations"),
    ];
}

/// <summary>One entry of the navigation: the page's path (relative to the base, "" for the overview) and its title.</summary>
public sealed record NavigationLink(string Href, string Title);
