using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Retention;

/// <summary>
/// Deletes points older than their organization's retention period (<c>organizations.retention_days</c>; NULL keeps
/// them), a bounded batch per transaction of the <see cref="DatabaseWriter"/>, so ingest waits at most for one batch.
/// </summary>
/// <remarks>
/// Space is reused through SQLite's freelist: pages a batch empties are taken by the next points, so a database in
/// steady state (as much expiring as arriving) stops growing; the file is not shrunk. Incremental vacuum would need
/// <c>auto_vacuum</c> set before the first table was created, or a VACUUM, which sqld refuses.
/// </remarks>
public sealed class PointRetention(LibSqlDataSource dataSource, DatabaseWriter writer)
{
    private const string DeleteOldest = """
        DELETE FROM metrics
        WHERE series_id = @series AND ts < @cutoff
          AND ts <= coalesce((SELECT ts FROM metrics WHERE series_id = @series AND ts < @cutoff ORDER BY ts LIMIT 1 OFFSET @last), @cutoff)
        """;

    private const string UpdateStatistics = """
        UPDATE time_series
        SET point_count = max(0, point_count - @deleted),
            first_ts = (SELECT min(ts) FROM metrics WHERE series_id = @series),
            last_ts = (SELECT max(ts) FROM metrics WHERE series_id = @series),
            updated_at = @now
        WHERE id = @series
        """;

    /// <summary>Sets an organization's retention period; null keeps its points forever. False when there is no such organization.</summary>
    public Task<bool> SetRetentionAsync(string organizationId, int? days, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(async (scope, token) => await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE organizations SET retention_days = @days WHERE id = @organizationId",
            new { days, organizationId },
            scope.Transaction,
            cancellationToken: token)) == 1, cancellationToken);

    /// <summary>
    /// Deletes every point that expired at <paramref name="now"/>, at most <paramref name="batchSize"/> per transaction.
    /// Returns how many were deleted.
    /// </summary>
    public async Task<long> DeleteExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var deleted = 0L;
        foreach (var series in await ExpiredSeriesAsync(now, cancellationToken))
        {
            int batch;
            do
            {
                batch = await writer.WriteAsync((scope, token) => DeleteBatchAsync(scope, series, batchSize, token), cancellationToken, weight: batchSize);
                deleted += batch;
            }
            while (batch == batchSize);
        }

        return deleted;
    }

    private async Task<IReadOnlyList<ExpiredSeries>> ExpiredSeriesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // first_ts is kept by ingest and by this job, so a series with nothing expired costs no read of its points.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ExpiredSeries>(new CommandDefinition(
            """
            SELECT s.id AS SeriesId, @now - o.retention_days * 86400000 AS Cutoff
            FROM time_series s JOIN organizations o ON o.id = s.organization_id
            WHERE o.retention_days IS NOT NULL AND s.first_ts < @now - o.retention_days * 86400000
            ORDER BY s.id
            """,
            new { now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return rows.ToList();
    }

    private static async Task<int> DeleteBatchAsync(WriteScope scope, ExpiredSeries series, int batchSize, CancellationToken cancellationToken)
    {
        var deleted = await scope.Connection.ExecuteAsync(new CommandDefinition(
            DeleteOldest, new { series = series.SeriesId, cutoff = series.Cutoff, last = batchSize - 1 }, scope.Transaction, cancellationToken: cancellationToken));
        if (deleted > 0)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                UpdateStatistics, new { deleted, series = series.SeriesId, now = scope.NowText }, scope.Transaction, cancellationToken: cancellationToken));
        }

        return deleted;
    }

    private sealed class ExpiredSeries
    {
        public long SeriesId { get; set; }

        public long Cutoff { get; set; }
    }
}
