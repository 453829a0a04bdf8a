namespace IntentVision.Data.Series;

/// <summary>What a series search asks for; every filter given must match.</summary>
public sealed record SeriesFilter(
    string? MetricKey = null,
    string? Search = null,
    IReadOnlyDictionary<string, string>? Dimensions = null,
    int Limit = 1000,
    int Offset = 0);
