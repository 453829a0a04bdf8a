namespace IntentVision.Data.Metrics;

/// <summary>
/// The points one ingest request wrote to one series, one value per timestamp (the request's last), in timestamp
/// order. A group's writes come in request order, so a series written by two requests appears twice, in order.
/// </summary>
public sealed record SeriesWrite(string OrganizationId, long SeriesId, IReadOnlyList<long> Timestamps, IReadOnlyList<double> Values);
