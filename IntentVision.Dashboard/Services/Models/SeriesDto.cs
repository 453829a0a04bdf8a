namespace IntentVision.Dashboard.Services;

public sealed record SeriesDto(
    long Id,
    string OrganizationId,
    string MetricKey,
    Dictionary<string, string> Dimensions,
    long PointCount,
    DateTimeOffset? FirstTimestamp,
    DateTimeOffset? LastTimestamp,
    long? ResolutionSeconds,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Prometheus-style label, dimensions sorted so one series always reads the same.</summary>
    public string Label => Dimensions.Count == 0
        ? MetricKey
        : $"{MetricKey} {{{DimensionText}}}";

    public string DimensionText => string.Join(", ", Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"));
}
