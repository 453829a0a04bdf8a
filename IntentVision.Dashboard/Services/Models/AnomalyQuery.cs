namespace IntentVision.Dashboard.Services;

/// <summary>The server-side filters of the anomaly list; the grid filters, sorts and pages what comes back.</summary>
public sealed record AnomalyQuery(long? SeriesId = null, string? Severity = null, DateTimeOffset? From = null, DateTimeOffset? To = null, bool? Acknowledged = null, int Limit = 500);
