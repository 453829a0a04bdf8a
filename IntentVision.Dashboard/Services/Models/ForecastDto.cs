namespace IntentVision.Dashboard.Services;

/// <summary>A stored forecast. <see cref="ModelInfo"/> is JSON whose keys the forecaster chooses; the page lists them as they are.</summary>
public sealed record ForecastDto(
    long Id,
    string OrganizationId,
    long SeriesId,
    string Method,
    int Horizon,
    List<ForecastPointDto> Points,
    string ModelInfo,
    double? DurationMs,
    DateTimeOffset CreatedAt);
