namespace IntentVision.Dashboard.Services;

public sealed record PointDto(DateTimeOffset Timestamp, double Value);
