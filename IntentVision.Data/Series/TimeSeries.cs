namespace IntentVision.Data.Series;

/// <summary>One series of an organization, with the aggregates ingestion keeps current.</summary>
public sealed record TimeSeries(
    long Id,
    string OrganizationId,
    string MetricKey,
    IReadOnlyDictionary<string, string> Dimensions,
    long PointCount,
    DateTimeOffset? FirstTimestamp,
    DateTimeOffset? LastTimestamp,
    long? ResolutionSeconds,
    DateTimeOffset UpdatedAt);
