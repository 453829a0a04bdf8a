namespace IntentVision.Dashboard.Services;

/// <summary>
/// Points of a series. <see cref="Mode"/> is raw, an aggregate name (then <see cref="StepSeconds"/> is the bucket)
/// or minmax (the server kept the lowest and highest point of each bucket); older APIs send neither.
/// </summary>
public sealed record SeriesPointsDto(long SeriesId, DateTimeOffset? From, DateTimeOffset? To, List<PointDto> Points, string? Mode = null, long? StepSeconds = null);
