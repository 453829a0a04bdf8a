namespace IntentVision.Dashboard.Services;

// The API's answers as the dashboard reads them. The dashboard does not reference the API or Data projects
// (it talks HTTP only), so these mirror the JSON, not the server's types.

public sealed record OrganizationDto(string Id, string Name, DateTimeOffset CreatedAt);

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
    public string Label => Dimensions.Count == 0
        ? MetricKey
        : $"{MetricKey} {{{string.Join(", ", Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"))}}}";
}

public sealed record PointDto(DateTimeOffset Timestamp, double Value);

public sealed record SeriesPointsDto(long SeriesId, DateTimeOffset? From, DateTimeOffset? To, List<PointDto> Points);

public sealed record MigrationEntryDto(
    int Version,
    string Name,
    string State,
    DateTimeOffset? AppliedAt,
    double? DurationMs,
    string? AppliedChecksum,
    string? FileChecksum,
    bool HasDownScript);

public sealed record MigrationStateDto(
    string DatabaseUrl,
    string Backend,
    bool IsCurrent,
    DateTimeOffset? LastAppliedAt,
    List<MigrationEntryDto> Applied,
    List<MigrationEntryDto> Pending,
    List<MigrationEntryDto> Problems);
