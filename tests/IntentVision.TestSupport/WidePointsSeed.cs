using IntentVision.LibSql;

namespace IntentVision.TestSupport;

/// <summary>
/// Points in the wide metrics table of migrations 001–005 (organization, metric key and dimensions on every row), made
/// by the database itself from a recursive CTE so that millions cost no client round trips: what 006_narrow_points
/// rewrites. Series <c>s</c> (1-based) belongs to organization <c>org{s % organizations}</c>, is named <c>seed.metric</c>
/// with dimensions <c>{"host":"h{s}"}</c>, and holds points at one-minute steps whose values are <see cref="Value"/>.
/// </summary>
public static class WidePointsSeed
{
    public const long FirstTimestamp = 1_700_000_000_000;

    public const long StepMilliseconds = 60_000;

    /// <summary>The value of the <paramref name="index"/>-th point of every series (fractional, so stored as a real).</summary>
    public static double Value(long index) => (index % 1_000) * 0.25 + 0.125;

    public static async Task SeedAsync(LibSqlDataSource dataSource, int organizations, int series, int pointsPerSeries, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        for (var o = 0; o < organizations; o++)
        {
            await ExecuteAsync(connection, $"INSERT INTO organizations (id, name, created_at) VALUES ('org{o}', 'Org {o}', '2026-01-01T00:00:00Z')", cancellationToken);
        }

        await ExecuteAsync(connection, $$"""
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {{series}})
            INSERT INTO time_series (id, organization_id, metric_key, dimensions, point_count, first_ts, last_ts, resolution_seconds, created_at, updated_at)
            SELECT n, 'org' || (n % {{organizations}}), 'seed.metric', '{"host":"h' || n || '"}', {{pointsPerSeries}},
                   {{FirstTimestamp}}, {{FirstTimestamp}} + {{pointsPerSeries - 1}} * {{StepMilliseconds}}, 60, '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'
            FROM s
            """, cancellationToken);

        // One statement per series keeps each well inside a statement timeout however many points there are.
        for (var s = 1; s <= series; s++)
        {
            await ExecuteAsync(connection, $$"""
                WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < {{pointsPerSeries - 1}})
                INSERT INTO metrics (organization_id, series_id, metric_key, dimensions, ts, value, source, ingested_at)
                SELECT 'org{{s % organizations}}', {{s}}, 'seed.metric', '{"host":"h{{s}}"}', {{FirstTimestamp}} + i * {{StepMilliseconds}},
                       (i % 1000) * 0.25 + 0.125, 'api', '2026-01-02T00:00:00Z'
                FROM p
                """, cancellationToken);
        }
    }

    private static async Task ExecuteAsync(LibSqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
