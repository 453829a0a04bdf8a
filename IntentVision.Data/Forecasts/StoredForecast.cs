namespace IntentVision.Data.Forecasts;

/// <summary>A forecast as stored: its points, the method used, the model account (JSON) and how long it took.</summary>
public sealed record StoredForecast(
    long Id,
    string OrganizationId,
    long SeriesId,
    string Method,
    int Horizon,
    IReadOnlyList<StoredForecastPoint> Points,
    string ModelInfo,
    double? DurationMs,
    DateTimeOffset CreatedAt);
