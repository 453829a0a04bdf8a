namespace IntentVision.Dashboard.Services;

public sealed record RunForecastRequest(long SeriesId, int Horizon, string Method);
