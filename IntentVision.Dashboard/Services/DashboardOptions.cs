namespace IntentVision.Dashboard.Services;

/// <summary>The dashboard's own settings (section <c>Dashboard</c>).</summary>
public sealed record DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>How often pages reload by themselves; live pushes from the API come on top, this is the fallback.</summary>
    public int RefreshSeconds { get; init; } = 10;

    public TimeSpan RefreshInterval => TimeSpan.FromSeconds(Math.Max(1, RefreshSeconds));
}
