namespace IntentVision.Data.Metrics;

/// <summary>
/// The points one ingest request carries for one series, one value per timestamp (the request's last), in timestamp
/// order. The series is named by its key (organization, metric, canonical dimensions): the writer resolves its id
/// only as it stores the points.
/// </summary>
public sealed record SeriesPoints(string OrganizationId, string MetricKey, string Dimensions, IReadOnlyList<long> Timestamps, IReadOnlyList<double> Values);

/// <summary>Points a request stored for the series <see cref="SeriesId"/>.</summary>
public sealed record SeriesWrite(long SeriesId, SeriesPoints Points);
