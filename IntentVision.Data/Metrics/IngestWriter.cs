using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Metrics;

/// <summary>
/// Stores validated points in the metrics spine, keeping each series' statistics in <c>time_series</c> current in
/// the same transaction. Every ingest is a unit of work of the <see cref="DatabaseWriter"/>: all of a call's points or,
/// on any failure, none; calls arriving together share one transaction (group commit).
/// </summary>
public sealed class IngestWriter(DatabaseWriter writer)
{
    /// <summary>Commands reused per chunk in process (see <see cref="UpsertAsync"/>).</summary>
    private const int RowsPerChunkInProcess = 256;

    /// <summary>
    /// One upsert per point, sent as a batch: on a server the batch travels as multi-row upserts (the series' columns sent
    /// once per statement), on a file one prepared statement is stepped per point, re-binding only timestamp and value.
    /// </summary>
    private const string UpsertPoint = """
        INSERT INTO metrics (organization_id, series_id, metric_key, dimensions, ts, value, source, ingested_at)
        VALUES (@organization, @series, @metric, @dimensions, @ts, @value, @source, @now)
        ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value, source = excluded.source, ingested_at = excluded.ingested_at
        """;

    /// <summary>
    /// Stores points of one organization atomically. A point whose series and timestamp already exist replaces the
    /// stored value and counts as updated. Completes after the commit that holds the points.
    /// </summary>
    public Task<IngestResult> IngestAsync(string organizationId, IReadOnlyList<MetricPoint> points, string source = "api", CancellationToken cancellationToken = default)
    {
        var batch = IngestBatch.Create(organizationId, points, source);
        return writer.WriteAsync(new IngestUnit(batch), cancellationToken);
    }

    /// <summary>
    /// Writes a batch inside a write scope: for a unit of work that stores points together with other writes of the
    /// same request (its idempotency record, a push's replay claim, its anomalies), all in one savepoint of the writer's
    /// group transaction. The unit may run again when its group failed before committing, so it writes only through the scope.
    /// </summary>
    public static async Task<IngestResult> StoreAsync(WriteScope scope, IngestBatch batch, CancellationToken cancellationToken)
    {
        var inserted = 0;
        var updated = 0;
        var seriesIds = new List<long>(batch.Series.Count);
        foreach (var series in batch.Series)
        {
            var (seriesId, lastTs) = await EnsureSeriesAsync(scope, series.Key, cancellationToken).ConfigureAwait(false);
            seriesIds.Add(seriesId);
            var byTimestamp = series.Points;
            var min = byTimestamp.Keys[0];
            var max = byTimestamp.Keys[^1];

            // Which timestamps exist already decides inserted versus updated; for appended data the range is empty.
            var existing = await ExistingTimestampsAsync(scope, seriesId, min, max, cancellationToken).ConfigureAwait(false);
            await UpsertAsync(scope, batch.Source, seriesId, series, cancellationToken).ConfigureAwait(false);

            var newPoints = byTimestamp.Count;
            if (existing.Count > 0)
            {
                foreach (var ts in byTimestamp.Keys)
                {
                    newPoints -= existing.Contains(ts) ? 1 : 0;
                }
            }

            inserted += newPoints;
            updated += byTimestamp.Count - newPoints + series.DuplicatesInBatch;

            var spacing = new List<long>(existing.Count + byTimestamp.Count + 1);
            spacing.AddRange(existing);
            spacing.AddRange(byTimestamp.Keys);
            if (lastTs is { } previous && previous < min)
            {
                spacing.Add(previous);
            }

            await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE time_series
                SET point_count = point_count + @NewPoints,
                    first_ts = min(coalesce(first_ts, @Min), @Min),
                    last_ts = max(coalesce(last_ts, @Max), @Max),
                    resolution_seconds = coalesce(@Resolution, resolution_seconds),
                    updated_at = @Now
                WHERE id = @SeriesId
                """,
                new { NewPoints = newPoints, Min = min, Max = max, Resolution = DetectResolutionSeconds(spacing), Now = scope.NowText, SeriesId = seriesId },
                scope.Transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return new IngestResult(batch.PointCount, inserted, updated, seriesIds);
    }

    private static async Task<(long Id, long? LastTs)> EnsureSeriesAsync(WriteScope scope, SeriesKey key, CancellationToken cancellationToken)
    {
        // The no-op update makes RETURNING answer for an existing series too: one statement, one round trip.
        var row = await scope.Connection.QuerySingleAsync<SeriesKeyRow>(new CommandDefinition(
            """
            INSERT INTO time_series (organization_id, metric_key, dimensions, created_at, updated_at)
            VALUES (@OrganizationId, @MetricKey, @Dimensions, @Now, @Now)
            ON CONFLICT (organization_id, metric_key, dimensions) DO UPDATE SET updated_at = time_series.updated_at
            RETURNING id AS Id, last_ts AS LastTs
            """,
            new { key.OrganizationId, key.MetricKey, key.Dimensions, Now = scope.NowText },
            scope.Transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return (row.Id, row.LastTs);
    }

    private static async Task<HashSet<long>> ExistingTimestampsAsync(WriteScope scope, long seriesId, long min, long max, CancellationToken cancellationToken)
    {
        await using var command = new LibSqlCommand("SELECT ts FROM metrics WHERE series_id = @s AND ts BETWEEN @min AND @max", scope.Connection, scope.Transaction);
        command.Parameters.AddWithValue("s", seriesId);
        command.Parameters.AddWithValue("min", min);
        command.Parameters.AddWithValue("max", max);
        var existing = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            existing.Add(reader.GetInt64(0));
        }

        return existing;
    }

    private static async Task UpsertAsync(WriteScope scope, string source, long seriesId, SeriesPoints series, CancellationToken cancellationToken)
    {
        // The series' values are one parameter object each, shared by every command of the batch.
        LibSqlParameter[] shared =
        [
            new("organization", series.Key.OrganizationId),
            new("series", seriesId),
            new("metric", series.Key.MetricKey),
            new("dimensions", series.Key.Dimensions),
            new("source", source),
            new("now", scope.NowText),
        ];

        // On a server the whole series is one batch: one round trip. In process a row costs only its own step, so a few
        // hundred commands are reused chunk after chunk with new values, and a large ingest makes no garbage per row.
        var keys = series.Points.Keys;
        var values = series.Points.Values;
        var chunk = scope.Connection.Capabilities.InProcess ? Math.Min(keys.Count, RowsPerChunkInProcess) : keys.Count;
        var timestamps = new LibSqlParameter[chunk];
        var readings = new LibSqlParameter[chunk];
        await using var batch = new LibSqlBatch { Connection = scope.Connection, Transaction = scope.Transaction };
        for (var i = 0; i < chunk; i++)
        {
            var command = new LibSqlBatchCommand(UpsertPoint);
            foreach (var parameter in shared)
            {
                command.Parameters.Add(parameter);
            }

            command.Parameters.Add(timestamps[i] = new LibSqlParameter("ts", null));
            command.Parameters.Add(readings[i] = new LibSqlParameter("value", null));
            batch.BatchCommands.Add(command);
        }

        for (var offset = 0; offset < keys.Count; offset += chunk)
        {
            var rows = Math.Min(chunk, keys.Count - offset);
            while (batch.BatchCommands.Count > rows)
            {
                batch.BatchCommands.RemoveAt(batch.BatchCommands.Count - 1);
            }

            for (var i = 0; i < rows; i++)
            {
                timestamps[i].Value = keys[offset + i];
                readings[i].Value = values[offset + i];
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The median spacing of the timestamps, in whole seconds; null with fewer than two distinct ones.</summary>
    private static long? DetectResolutionSeconds(List<long> timestamps)
    {
        if (timestamps.Count < 2)
        {
            return null;
        }

        timestamps.Sort();
        var gaps = new List<long>(timestamps.Count - 1);
        for (var i = 1; i < timestamps.Count; i++)
        {
            if (timestamps[i] != timestamps[i - 1])
            {
                gaps.Add(timestamps[i] - timestamps[i - 1]);
            }
        }

        if (gaps.Count == 0)
        {
            return null;
        }

        gaps.Sort();
        return Math.Max(1, gaps[gaps.Count / 2] / 1000);
    }

    private sealed class SeriesKeyRow
    {
        public long Id { get; set; }

        public long? LastTs { get; set; }
    }
}
