namespace IntentVision.Dashboard.Services;

public sealed record CreateSourceRequest(string Name, string Type, string? Url, int? IntervalSeconds, bool Enabled);
