using System.Text;
using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Anomalies;

/// <summary>Detected anomalies. Writes go through the one <see cref="DatabaseWriter"/>; reads use pooled connections.</summary>
public sealed class AnomalyRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    private const string SelectColumns = """
        SELECT id AS Id, organization_id AS OrganizationId, series_id AS SeriesId, ts AS Ts, value AS Value, expected AS Expected,
               score AS Score, severity AS Severity, type AS Type, context AS Context, detected_at AS DetectedAt,
               acknowledged_at AS AcknowledgedAt, acknowledged_by AS AcknowledgedBy
        FROM anomalies
        """;

    /// <summary>Stores anomalies not stored before (one per series and timestamp); returns how many were new.</summary>
    public async Task<int> AddAsync(string organizationId, IReadOnlyList<NewAnomaly> anomalies, CancellationToken cancellationToken = default)
    {
        if (anomalies.Count == 0)
        {
            return 0;
        }

        var now = DbTime.ToText(timeProvider.GetUtcNow());
        return await writer.WriteAsync((scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO anomalies (organization_id, series_id, ts, value, expected, score, severity, type, context, detected_at)
            VALUES (@OrganizationId, @SeriesId, @Ts, @Value, @Expected, @Score, @Severity, @Type, @Context, @Now)
            ON CONFLICT (series_id, ts) DO NOTHING
            """,
            anomalies.Select(a => new
            {
                OrganizationId = organizationId,
                a.SeriesId,
                Ts = a.Timestamp.ToUnixTimeMilliseconds(),
                a.Value,
                a.Expected,
                Score = Math.Clamp(a.Score, 0, 1),
                a.Severity,
                a.Type,
                a.Context,
                Now = now,
            }),
            scope.Transaction,
            cancellationToken: token)), cancellationToken, weight: anomalies.Count);
    }

    public async Task<IReadOnlyList<StoredAnomaly>> ListAsync(string organizationId, AnomalyFilter filter, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder(SelectColumns).Append(" WHERE organization_id = @OrganizationId");
        if (filter.SeriesId is not null)
        {
            sql.Append(" AND series_id = @SeriesId");
        }

        if (filter.Severities is { Count: > 0 })
        {
            sql.Append(" AND severity IN @Severities");
        }

        if (filter.From is not null)
        {
            sql.Append(" AND ts >= @From");
        }

        if (filter.To is not null)
        {
            sql.Append(" AND ts < @To");
        }

        if (filter.Acknowledged is { } acknowledged)
        {
            sql.Append(acknowledged ? " AND acknowledged_at IS NOT NULL" : " AND acknowledged_at IS NULL");
        }

        sql.Append(" ORDER BY ts DESC, id DESC LIMIT @Limit");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AnomalyRow>(new CommandDefinition(
            sql.ToString(),
            new
            {
                OrganizationId = organizationId,
                filter.SeriesId,
                Severities = filter.Severities ?? [],
                From = filter.From?.ToUnixTimeMilliseconds(),
                To = filter.To?.ToUnixTimeMilliseconds(),
                filter.Limit,
            },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToAnomaly()).ToList();
    }

    public async Task<StoredAnomaly?> GetAsync(string organizationId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AnomalyRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND id = @Id", new { OrganizationId = organizationId, Id = id }, cancellationToken: cancellationToken));
        return row?.ToAnomaly();
    }

    /// <summary>Marks the anomaly acknowledged (the first acknowledgement is kept); null when the organization has no such anomaly.</summary>
    public async Task<StoredAnomaly?> AcknowledgeAsync(string organizationId, long id, string acknowledgedBy, CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        await writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE anomalies SET acknowledged_at = @Now, acknowledged_by = @By WHERE organization_id = @OrganizationId AND id = @Id AND acknowledged_at IS NULL",
                new { OrganizationId = organizationId, Id = id, By = acknowledgedBy, Now = now },
                scope.Transaction,
                cancellationToken: token)),
            cancellationToken);
        return await GetAsync(organizationId, id, cancellationToken);
    }

    /// <summary>Anomalies of one series at or after <paramref name="since"/>, oldest first (for alert evaluation).</summary>
    public async Task<IReadOnlyList<StoredAnomaly>> ListForSeriesAsync(long seriesId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AnomalyRow>(new CommandDefinition(
            SelectColumns + " WHERE series_id = @SeriesId AND ts >= @Since ORDER BY ts",
            new { SeriesId = seriesId, Since = since.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToAnomaly()).ToList();
    }

    private sealed class AnomalyRow
    {
        public long Id { get; set; }

        public string OrganizationId { get; set; } = string.Empty;

        public long SeriesId { get; set; }

        public long Ts { get; set; }

        public double Value { get; set; }

        public double? Expected { get; set; }

        public double Score { get; set; }

        public string Severity { get; set; } = string.Empty;

        public string Type { get; set; } = string.Empty;

        public string Context { get; set; } = "{}";

        public string DetectedAt { get; set; } = string.Empty;

        public string? AcknowledgedAt { get; set; }

        public string? AcknowledgedBy { get; set; }

        public StoredAnomaly ToAnomaly() => new(
            Id, OrganizationId, SeriesId, DbTime.FromMilliseconds(Ts), Value, Expected, Score, Severity, Type, Context,
            DbTime.ParseText(DetectedAt), DbTime.ParseText(AcknowledgedAt, allowNull: true), AcknowledgedBy);
    }
}
