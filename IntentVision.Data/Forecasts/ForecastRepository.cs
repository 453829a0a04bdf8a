using System.Text.Json;
using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Forecasts;

/// <summary>Stored forecasts. Writes go through the one <see cref="DatabaseWriter"/>; reads use pooled connections.</summary>
public sealed class ForecastRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    private static readonly JsonSerializerOptions PointJson = new(JsonSerializerDefaults.Web);

    private const string SelectColumns = """
        SELECT id AS Id, organization_id AS OrganizationId, series_id AS SeriesId, method AS Method, horizon AS Horizon,
               points AS Points, model_info AS ModelInfo, duration_ms AS DurationMs, created_at AS CreatedAt
        FROM forecasts
        """;

    public async Task<StoredForecast> CreateAsync(string organizationId, long seriesId, string method, IReadOnlyList<StoredForecastPoint> points, string modelInfo, double durationMs, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var id = await writer.WriteAsync((scope, token) => scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO forecasts (organization_id, series_id, method, horizon, points, model_info, duration_ms, created_at)
            VALUES (@OrganizationId, @SeriesId, @Method, @Horizon, @Points, @ModelInfo, @DurationMs, @Now)
            RETURNING id
            """,
            new
            {
                OrganizationId = organizationId,
                SeriesId = seriesId,
                Method = method,
                Horizon = points.Count,
                Points = JsonSerializer.Serialize(points.Select(p => new PointJsonRow(p.Timestamp.ToUnixTimeMilliseconds(), p.Value, p.Lower80, p.Upper80, p.Lower95, p.Upper95)), PointJson),
                ModelInfo = modelInfo,
                DurationMs = durationMs,
                Now = DbTime.ToText(now),
            },
            scope.Transaction,
            cancellationToken: token)), cancellationToken, weight: points.Count);
        return new StoredForecast(id, organizationId, seriesId, method, points.Count, points, modelInfo, durationMs, now);
    }

    public async Task<StoredForecast?> GetAsync(string organizationId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ForecastRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND id = @Id", new { OrganizationId = organizationId, Id = id }, cancellationToken: cancellationToken));
        return row?.ToForecast();
    }

    /// <summary>Newest first; <paramref name="seriesId"/> narrows to one series.</summary>
    public async Task<IReadOnlyList<StoredForecast>> ListAsync(string organizationId, long? seriesId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ForecastRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND (@SeriesId IS NULL OR series_id = @SeriesId) ORDER BY created_at DESC, id DESC LIMIT @Limit",
            new { OrganizationId = organizationId, SeriesId = seriesId, Limit = limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToForecast()).ToList();
    }

    /// <summary>The newest forecast of a series, whoever owns it (for background jobs, which work across organizations).</summary>
    public async Task<StoredForecast?> LatestForSeriesAsync(long seriesId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<ForecastRow>(new CommandDefinition(
            SelectColumns + " WHERE series_id = @SeriesId ORDER BY created_at DESC, id DESC LIMIT 1", new { SeriesId = seriesId }, cancellationToken: cancellationToken));
        return row?.ToForecast();
    }

    private sealed record PointJsonRow(long Ts, double Value, double Lower80, double Upper80, double Lower95, double Upper95);

    private sealed class ForecastRow
    {
        public long Id { get; set; }

        public string OrganizationId { get; set; } = string.Empty;

        public long SeriesId { get; set; }

        public string Method { get; set; } = string.Empty;

        public long Horizon { get; set; }

        public string Points { get; set; } = "[]";

        public string ModelInfo { get; set; } = "{}";

        public double? DurationMs { get; set; }

        public string CreatedAt { get; set; } = string.Empty;

        public StoredForecast ToForecast() => new(
            Id,
            OrganizationId,
            SeriesId,
            Method,
            (int)Horizon,
            (JsonSerializer.Deserialize<List<PointJsonRow>>(Points, PointJson) ?? [])
                .Select(p => new StoredForecastPoint(DbTime.FromMilliseconds(p.Ts), p.Value, p.Lower80, p.Upper80, p.Lower95, p.Upper95)).ToList(),
            ModelInfo,
            DurationMs,
            DbTime.ParseText(CreatedAt));
    }
}
