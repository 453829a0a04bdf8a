using System.Text;
using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Anomalies;

/// <summary>Detected anomalies. Writes go through the one <see cref="DatabaseWriter"/>; reads use pooled connections.</summary>
public sealed class AnomalyRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    private const string SelectColumns = """
        SELECT a.id AS Id, a.organization_id AS OrganizationId, a.series_id AS SeriesId, a.ts AS Ts, a.value AS Value, a.expected AS Expected,
               a.score AS Score, a.severity AS Severity, a.type AS Type, a.context AS Context, a.detected_at AS DetectedAt,
               a.acknowledged_at AS AcknowledgedAt, a.acknowledged_by AS AcknowledgedBy,
               f.verdict AS FeedbackVerdict, f.comment AS FeedbackComment, f.given_by AS FeedbackBy, f.given_at AS FeedbackAt
        FROM anomalies a LEFT JOIN anomaly_feedback f ON f.anomaly_id = a.id
        """;

    /// <summary>
    /// Stores anomalies on the ingest writer's connection, inside its transaction. An anomaly at a series and timestamp
    /// already stored replaces its detection fields (a revision restates type and explanation); acknowledgement and
    /// feedback stay.
    /// </summary>
    public static async Task UpsertAsync(WriteScope scope, string organizationId, IReadOnlyList<NewAnomaly> anomalies, CancellationToken cancellationToken = default)
    {
        if (anomalies.Count == 0)
        {
            return;
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO anomalies (organization_id, series_id, ts, value, expected, score, severity, type, context, detected_at)
            VALUES (@OrganizationId, @SeriesId, @Ts, @Value, @Expected, @Score, @Severity, @Type, @Context, @Now)
            ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value, expected = excluded.expected, score = excluded.score,
                severity = excluded.severity, type = excluded.type, context = excluded.context
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
                Now = scope.NowText,
            }),
            scope.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records an analyst's verdict on an anomaly (replacing an earlier one); null when the organization has no such anomaly.
    /// </summary>
    public async Task<StoredAnomaly?> SetFeedbackAsync(string organizationId, long id, string verdict, string? comment, string givenBy, CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        await writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO anomaly_feedback (anomaly_id, series_id, verdict, comment, given_by, given_at)
                SELECT id, series_id, @Verdict, @Comment, @By, @Now FROM anomalies WHERE organization_id = @OrganizationId AND id = @Id
                ON CONFLICT (anomaly_id) DO UPDATE SET verdict = excluded.verdict, comment = excluded.comment, given_by = excluded.given_by, given_at = excluded.given_at
                """,
                new { OrganizationId = organizationId, Id = id, Verdict = verdict, Comment = comment, By = givenBy, Now = now },
                scope.Transaction,
                cancellationToken: token)),
            cancellationToken);
        return await GetAsync(organizationId, id, cancellationToken);
    }

    /// <summary>Withdraws the verdict on an anomaly; null when the organization has no such anomaly.</summary>
    public async Task<StoredAnomaly?> ClearFeedbackAsync(string organizationId, long id, CancellationToken cancellationToken = default)
    {
        await writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM anomaly_feedback WHERE anomaly_id = (SELECT id FROM anomalies WHERE organization_id = @OrganizationId AND id = @Id)",
                new { OrganizationId = organizationId, Id = id },
                scope.Transaction,
                cancellationToken: token)),
            cancellationToken);
        return await GetAsync(organizationId, id, cancellationToken);
    }

    /// <summary>The anomalies of a series an analyst marked "not an anomaly" (value and stored context), on the writer's connection.</summary>
    /// <summary>The value and context of each anomaly of series <c>@SeriesId</c> marked with verdict <c>@Verdict</c>, oldest first.</summary>
    internal const string SelectMarked =
        "SELECT a.value, a.context FROM anomaly_feedback f JOIN anomalies a ON a.id = f.anomaly_id WHERE f.series_id = @SeriesId AND f.verdict = @Verdict ORDER BY a.ts";

    public static async Task<IReadOnlyList<(double Value, string Context)>> ListMarkedNormalAsync(WriteScope scope, long seriesId, CancellationToken cancellationToken = default)
    {
        var rows = await scope.Connection.QueryAsync<(double, string)>(new CommandDefinition(
            SelectMarked,
            new { SeriesId = seriesId, Verdict = AnomalyFeedback.NotAnomaly },
            scope.Transaction,
            cancellationToken: cancellationToken));
        return rows.ToList();
    }

    public async Task<IReadOnlyList<StoredAnomaly>> ListAsync(string organizationId, AnomalyFilter filter, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder(SelectColumns).Append(" WHERE a.organization_id = @OrganizationId");
        if (filter.SeriesId is not null)
        {
            sql.Append(" AND a.series_id = @SeriesId");
        }

        if (filter.Severities is { Count: > 0 })
        {
            sql.Append(" AND a.severity IN @Severities");
        }

        if (filter.From is not null)
        {
            sql.Append(" AND a.ts >= @From");
        }

        if (filter.To is not null)
        {
            sql.Append(" AND a.ts < @To");
        }

        if (filter.Acknowledged is { } acknowledged)
        {
            sql.Append(acknowledged ? " AND a.acknowledged_at IS NOT NULL" : " AND a.acknowledged_at IS NULL");
        }

        sql.Append(" ORDER BY a.ts DESC, a.id DESC LIMIT @Limit");
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
            SelectColumns + " WHERE a.organization_id = @OrganizationId AND a.id = @Id", new { OrganizationId = organizationId, Id = id }, cancellationToken: cancellationToken));
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
            SelectColumns + " WHERE a.series_id = @SeriesId AND a.ts >= @Since ORDER BY a.ts",
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

        public string? FeedbackVerdict { get; set; }

        public string? FeedbackComment { get; set; }

        public string? FeedbackBy { get; set; }

        public string? FeedbackAt { get; set; }

        public StoredAnomaly ToAnomaly() => new(
            Id, OrganizationId, SeriesId, DbTime.FromMilliseconds(Ts), Value, Expected, Score, Severity, Type, Context,
            DbTime.ParseText(DetectedAt), DbTime.ParseText(AcknowledgedAt, allowNull: true), AcknowledgedBy,
            StoredExplanation.FromContext(Context),
            FeedbackVerdict is null ? null : new AnomalyFeedback(FeedbackVerdict, FeedbackComment, FeedbackBy ?? string.Empty, DbTime.ParseText(FeedbackAt ?? DetectedAt)));
    }
}
