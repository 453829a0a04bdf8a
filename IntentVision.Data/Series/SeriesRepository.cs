using Dapper;
using IntentVision.Data.Metrics;
using IntentVision.LibSql;

namespace IntentVision.Data.Series;

public sealed class SeriesRepository(LibSqlDataSource dataSource)
{
    private const string SelectColumns = """
        SELECT id AS Id, organization_id AS OrganizationId, metric_key AS MetricKey, dimensions AS Dimensions,
               point_count AS PointCount, first_ts AS FirstTs, last_ts AS LastTs, resolution_seconds AS ResolutionSeconds,
               updated_at AS UpdatedAt
        FROM time_series
        """;

    /// <summary>The organization's series, optionally only those of one metric key, ordered by key then dimensions.</summary>
    public async Task<IReadOnlyList<TimeSeries>> ListAsync(string organizationId, string? metricKey = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SeriesRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND (@MetricKey IS NULL OR metric_key = @MetricKey) ORDER BY metric_key, dimensions",
            new { OrganizationId = organizationId, MetricKey = metricKey },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSeries()).ToList();
    }

    /// <summary>The series, or null when it does not exist or belongs to another organization.</summary>
    public async Task<TimeSeries?> GetAsync(string organizationId, long seriesId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND id = @SeriesId",
            new { OrganizationId = organizationId, SeriesId = seriesId },
            cancellationToken: cancellationToken));
        return row?.ToSeries();
    }

    private sealed class SeriesRow
    {
        public long Id { get; set; }

        public string OrganizationId { get; set; } = string.Empty;

        public string MetricKey { get; set; } = string.Empty;

        public string Dimensions { get; set; } = CanonicalDimensions.Empty;

        public long PointCount { get; set; }

        public long? FirstTs { get; set; }

        public long? LastTs { get; set; }

        public long? ResolutionSeconds { get; set; }

        public string UpdatedAt { get; set; } = string.Empty;

        public TimeSeries ToSeries() => new(
            Id,
            OrganizationId,
            MetricKey,
            CanonicalDimensions.Parse(Dimensions),
            PointCount,
            FirstTs is { } f ? DbTime.FromMilliseconds(f) : null,
            LastTs is { } l ? DbTime.FromMilliseconds(l) : null,
            ResolutionSeconds,
            DbTime.ParseText(UpdatedAt));
    }
}
