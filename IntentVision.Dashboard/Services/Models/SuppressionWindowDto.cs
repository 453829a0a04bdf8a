namespace IntentVision.Dashboard.Services;

public sealed record SuppressionWindowDto(DateTimeOffset? From = null, DateTimeOffset? To = null, string? DailyStart = null, string? DailyEnd = null);
