using System.Globalization;
using System.Text;
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

    /// <summary>
    /// The organization's series matching every filter: an exact metric key, a substring of the metric key, and
    /// dimension values (each key must be present with exactly that value). Ordered by key then dimensions.
    /// </summary>
    public async Task<IReadOnlyList<TimeSeries>> SearchAsync(string organizationId, SeriesFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new StringBuilder(SelectColumns).Append(" WHERE organization_id = @OrganizationId");
        var parameters = new DynamicParameters();
        parameters.Add("OrganizationId", organizationId);
        if (filter.MetricKey is not null)
        {
            sql.Append(" AND metric_key = @MetricKey");
            parameters.Add("MetricKey", filter.MetricKey);
        }

        if (filter.Search is not null)
        {
            // instr rather than LIKE: the search text is matched literally, '%' and '_' included.
            sql.Append(" AND instr(lower(metric_key), lower(@Search)) > 0");
            parameters.Add("Search", filter.Search);
        }

        var i = 0;
        foreach (var (key, value) in filter.Dimensions ?? new Dictionary<string, string>())
        {
            // The JSON path is a parameter too, so a dimension name can never become SQL.
            sql.Append(CultureInfo.InvariantCulture, $" AND json_extract(dimensions, @Path{i}) = @Value{i}");
            parameters.Add($"Path{i}", "$.\"" + key.Replace("\"", string.Empty, StringComparison.Ordinal) + "\"");
            parameters.Add($"Value{i}", value);
            i++;
        }

        sql.Append(" ORDER BY metric_key, dimensions LIMIT @Limit OFFSET @Offset");
        parameters.Add("Limit", filter.Limit);
        parameters.Add("Offset", filter.Offset);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SeriesRow>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSeries()).ToList();
    }

    /// <summary>Series of every organization whose latest point is at or after <paramref name="since"/>: the ones background jobs look at.</summary>
    public async Task<IReadOnlyList<TimeSeries>> ListActiveAsync(DateTimeOffset since, int minimumPoints, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SeriesRow>(new CommandDefinition(
            SelectColumns + " WHERE last_ts >= @Since AND point_count >= @MinimumPoints ORDER BY last_ts DESC LIMIT @Limit",
            new { Since = since.ToUnixTimeMilliseconds(), MinimumPoints = minimumPoints, Limit = limit },
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
