namespace IntentVision.Data.Anomalies;

/// <summary>Which anomalies to list; <see cref="Severities"/> empty or null means all.</summary>
public sealed record AnomalyFilter(
    long? SeriesId = null,
    IReadOnlyList<string>? Severities = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    bool? Acknowledged = null,
    int Limit = 500);
