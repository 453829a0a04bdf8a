using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Sources;

/// <summary>
/// What a source's scrapes remember: each metric's declared type, and the last sample of each counter series. Writes go
/// through the one <see cref="DatabaseWriter"/>; reads use pooled connections.
/// </summary>
public sealed class SourceScrapeStateRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    public async Task<IReadOnlyList<SourceMetric>> ListMetricsAsync(long sourceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string MetricKey, string MetricType, string? Help, string UpdatedAt)>(new CommandDefinition(
            "SELECT metric_key, metric_type, help, updated_at FROM source_metrics WHERE source_id = @SourceId ORDER BY metric_key",
            new { SourceId = sourceId }, cancellationToken: cancellationToken));
        return rows.Select(r => new SourceMetric(r.MetricKey, r.MetricType, r.Help, DbTime.ParseText(r.UpdatedAt))).ToList();
    }

    public async Task<IReadOnlyDictionary<string, CounterSample>> ListCountersAsync(long sourceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string SeriesKey, double Value, long Ts)>(new CommandDefinition(
            "SELECT series_key, value, ts FROM source_counters WHERE source_id = @SourceId", new { SourceId = sourceId }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.SeriesKey, r => new CounterSample(r.SeriesKey, r.Value, r.Ts), StringComparer.Ordinal);
    }

    /// <summary>Stores the metric types and the latest counter samples of one scrape, in one transaction.</summary>
    public Task SaveScrapeAsync(long sourceId, IReadOnlyList<SourceMetric> metrics, IReadOnlyList<CounterSample> counters, CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        return writer.WriteAsync((scope, token) => SaveScrapeAsync(scope, sourceId, metrics, counters, now, token), cancellationToken, weight: metrics.Count + counters.Count);
    }

    private static async Task<bool> SaveScrapeAsync(WriteScope scope, long sourceId, IReadOnlyList<SourceMetric> metrics, IReadOnlyList<CounterSample> counters, string now, CancellationToken cancellationToken)
    {
        var connection = scope.Connection;
        var transaction = scope.Transaction;
        foreach (var m in metrics)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO source_metrics (source_id, metric_key, metric_type, help, updated_at) VALUES (@SourceId, @MetricKey, @MetricType, @Help, @Now)
                ON CONFLICT (source_id, metric_key) DO UPDATE SET metric_type = excluded.metric_type, help = excluded.help, updated_at = excluded.updated_at
                """,
                new { SourceId = sourceId, m.MetricKey, m.MetricType, m.Help, Now = now }, transaction, cancellationToken: cancellationToken));
        }

        foreach (var c in counters)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO source_counters (source_id, series_key, value, ts) VALUES (@SourceId, @SeriesKey, @Value, @Ts)
                ON CONFLICT (source_id, series_key) DO UPDATE SET value = excluded.value, ts = excluded.ts
                """,
                new { SourceId = sourceId, c.SeriesKey, c.Value, Ts = c.TimestampMs }, transaction, cancellationToken: cancellationToken));
        }

        return true;
    }
}
