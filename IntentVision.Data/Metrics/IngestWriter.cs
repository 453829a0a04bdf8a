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
    /// <summary>Commands reused per chunk in process (see <see cref="StepPointsAsync"/>).</summary>
    private const int RowsPerChunkInProcess = 256;

    /// <summary>In process: one prepared statement stepped per point, re-binding only timestamp and value.</summary>
    private const string UpsertPoint = """
        INSERT INTO metrics (series_id, ts, value) VALUES (@series, @ts, @value)
        ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value
        """;

    /// <summary>
    /// On a server: a whole series in one statement whose only large parameter is a JSON array of [ts, value] pairs, parsed
    /// by the server itself. A statement is a network round trip there, and per-row parameters cost the server far more
    /// to decode than <c>json_each</c> costs to walk (see bench/IntentVision.Api.Benchmarks). <c>WHERE true</c> lets
    /// SQLite's parser tell the upsert clause from a join constraint.
    /// </summary>
    private const string UpsertJsonPoints = """
        INSERT INTO metrics (series_id, ts, value)
        SELECT @series, value ->> 0, value ->> 1 FROM json_each(@points) WHERE true
        ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value
        """;

    /// <summary>Which series a guarded append writes to, and whether it may: nothing stored at or after the batch's first timestamp.</summary>
    private const string AppendTarget = "(SELECT id FROM time_series WHERE organization_id = @organization AND metric_key = @metric AND dimensions = @dimensions AND coalesce(last_ts < @min, 1))";

    private const string AppendJsonPoints = $"""
        INSERT INTO metrics (series_id, ts, value)
        SELECT {AppendTarget}, value ->> 0, value ->> 1 FROM json_each(@points) WHERE {AppendTarget} IS NOT NULL
        ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value
        """;

    /// <summary>
    /// The append of a series known to end before the batch (<see cref="KnownSeries"/>), deferred to the COMMIT's request:
    /// when the series holds anything at or after the batch's first timestamp after all, its id comes out NULL and the
    /// statement FAILS (NOT NULL), which fails the attempt rather than skipping the series as <see cref="AppendJsonPoints"/>
    /// does: nothing is left to write it the exact way once the COMMIT is on its way.
    /// </summary>
    private const string AppendKnownJsonPoints = """
        INSERT INTO metrics (series_id, ts, value)
        SELECT (SELECT id FROM time_series WHERE id = @series AND coalesce(last_ts < @min, 1)), value ->> 0, value ->> 1 FROM json_each(@points) WHERE true
        ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value
        """;

    /// <summary>
    /// The statistics of an append, as <see cref="UpdateStatistics"/> would set them: every point is new, and the resolution
    /// is the median gap of the batch's timestamps with the series' previous last one (see <see cref="AppendSpacing"/>).
    /// </summary>
    private const string AppendStatistics = """
        UPDATE time_series
        SET point_count = point_count + @count,
            first_ts = coalesce(first_ts, @min),
            last_ts = @max,
            resolution_seconds = coalesce(
                CASE WHEN last_ts IS NULL THEN @resolution
                     ELSE max(1, (CASE WHEN @below IS NOT NULL AND @min - last_ts <= @below THEN @below
                                       WHEN @above IS NOT NULL AND @min - last_ts >= @above THEN @above
                                       ELSE @min - last_ts END) / 1000) END,
                resolution_seconds),
            updated_at = @now
        WHERE organization_id = @organization AND metric_key = @metric AND dimensions = @dimensions AND coalesce(last_ts < @min, 1)
        """;

    /// <summary>The no-op update makes RETURNING answer for an existing series too.</summary>
    private const string EnsureSeries = """
        INSERT INTO time_series (organization_id, metric_key, dimensions, created_at, updated_at)
        VALUES (@organization, @metric, @dimensions, @now, @now)
        ON CONFLICT (organization_id, metric_key, dimensions) DO UPDATE SET updated_at = time_series.updated_at
        RETURNING id, last_ts
        """;

    private const string UpdateStatistics = """
        UPDATE time_series
        SET point_count = point_count + @newPoints,
            first_ts = min(coalesce(first_ts, @min), @min),
            last_ts = max(coalesce(last_ts, @max), @max),
            resolution_seconds = coalesce(@resolution, resolution_seconds),
            updated_at = @now
        WHERE id = @series
        """;

    /// <summary>
    /// Stores points of one organization atomically. A point whose series and timestamp already exist replaces the
    /// stored value and counts as updated. Completes after the commit that holds the points.
    /// </summary>
    public Task<IngestResult> IngestAsync(string organizationId, IReadOnlyList<MetricPoint> points, string source = "api", CancellationToken cancellationToken = default)
    {
        var batch = IngestBatch.Create(organizationId, points, source, forServer: !writer.Capabilities.InProcess);
        return writer.WriteAsync(new IngestUnit(batch), cancellationToken);
    }

    /// <summary>
    /// Writes a batch inside a write scope: for a unit of work that stores points together with other writes of the
    /// same request (its idempotency record, a push's replay claim, its anomalies), all in one savepoint of the writer's
    /// group transaction. The unit may run again when its group failed before committing, so it writes only through the scope.
    /// </summary>
    /// <remarks>
    /// On a server, points appended after a series' last timestamp (the usual case) cost ONE round trip for the whole
    /// batch: per series, the series upsert, the points' upsert and the statistics, the last two guarded so that they
    /// apply only when the series held nothing at or after the batch's first timestamp. A series whose points reach
    /// back into its stored range (a backfill or a correction) then takes the exact path: its overwritten timestamps
    /// are read, and points and statistics written. In process round trips cost nothing and every series takes that path.
    /// When the writer's group holds several ingest calls, their appends went ahead together (<see cref="WriteAhead"/>):
    /// one round trip for the group, and each call here collects its answer (and writes a backfill the exact way).
    /// </remarks>
    public static async Task<IngestResult> StoreAsync(WriteScope scope, IngestBatch batch, CancellationToken cancellationToken)
    {
        var count = batch.Series.Count;
        var seriesIds = new long[count];
        var lastTimestamps = new long?[count];
        var appended = new bool[count];
        var inProcess = scope.Connection.Capabilities.InProcess;
        var known = inProcess ? null : scope.Kept<KnownSeries>();
        if (scope.TryTakeWrittenAhead<AppendedAhead>(batch, out var ahead))
        {
            // Sent ahead with the group's other batches (see WriteAhead): the same answers the request below would give.
            (seriesIds, lastTimestamps) = (ahead.SeriesIds, ahead.LastTimestamps);
        }
        else if (inProcess)
        {
            await EnsureAllSeriesAsync(scope, batch.Series, seriesIds, lastTimestamps, cancellationToken).ConfigureAwait(false);
        }
        else if (scope.MayDefer && known!.TryAllAppends(batch.Series, seriesIds, lastTimestamps))
        {
            // Appends to series this writer knows: nothing to ask the server, so the writes travel with the COMMIT.
            await DeferKnownAppendsAsync(scope, batch.Series, seriesIds, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await AppendAllSeriesAsync(scope, batch.Series, seriesIds, lastTimestamps, cancellationToken).ConfigureAwait(false);
        }

        for (var s = 0; s < count && !inProcess; s++)
        {
            appended[s] = lastTimestamps[s] is not { } last || last < batch.Series[s].Points.Keys[0];
        }

        var inserted = 0;
        var updated = 0;
        await using var writes = new LibSqlBatch { Connection = scope.Connection, Transaction = scope.Transaction };
        for (var s = 0; s < count; s++)
        {
            var series = batch.Series[s];
            var byTimestamp = series.Points;
            if (appended[s])
            {
                inserted += byTimestamp.Count;
                updated += series.DuplicatesInBatch;
                continue;
            }

            var seriesId = seriesIds[s];
            var lastTs = lastTimestamps[s];
            var min = byTimestamp.Keys[0];
            var max = byTimestamp.Keys[^1];

            // Which timestamps exist already decides inserted versus updated; appended data has none.
            var existing = lastTs is { } last && last >= min
                ? await ExistingTimestampsAsync(scope, seriesId, min, max, cancellationToken).ConfigureAwait(false)
                : [];
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

            writes.BatchCommands.Add(Command(
                UpdateStatistics,
                new("newPoints", newPoints),
                new("min", min),
                new("max", max),
                new("resolution", DetectResolutionSeconds(spacing)),
                new("now", scope.NowText),
                new("series", seriesId)));
            if (!inProcess)
            {
                writes.BatchCommands.Add(Command(UpsertJsonPoints, new("series", seriesId), new("points", series.PointsJson)));
            }
        }

        if (writes.BatchCommands.Count > 0)
        {
            await writes.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (inProcess)
        {
            for (var s = 0; s < count; s++)
            {
                await StepPointsAsync(scope, seriesIds[s], batch.Series[s], cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            for (var s = 0; s < count; s++)
            {
                var last = batch.Series[s].Points.Keys[^1];
                known!.Stored(batch.Series[s].Key, seriesIds[s], lastTimestamps[s] is { } before && before > last ? before : last);
            }
        }

        return new IngestResult(batch.PointCount, inserted, updated, seriesIds);
    }

    /// <summary>
    /// Sends the batches of a group's ingest units ahead of them, on a server, in ONE round trip for all of them (see
    /// <see cref="IWriteAheadUnit"/>): the guarded appends of every series of every batch, as <see cref="StoreAsync"/>
    /// sends them per batch, whose answers each unit then takes. A series whose batch reaches back into its stored range
    /// (a backfill, a correction) was left untouched by its guards: its unit writes it the exact way, as it would have
    /// after its own request. A batch the database refuses (a constraint, a missing organization) refuses the whole
    /// attempt, so that the group runs again with that unit failing alone under its savepoint.
    /// </summary>
    public static IWriteAhead WriteAhead { get; } = new AppendAhead();

    /// <summary>What the request ahead answered for one batch: its series' ids and last timestamps as they were.</summary>
    private sealed record AppendedAhead(long[] SeriesIds, long?[] LastTimestamps);

    private sealed class AppendAhead : IWriteAhead
    {
        public async Task WriteAheadAsync(WriteScope scope, IReadOnlyList<IWriteAheadUnit> units, CancellationToken cancellationToken)
        {
            // Batches that append to known series need no answer: they will travel with the COMMIT (see StoreAsync).
            var known = scope.Kept<KnownSeries>();
            var batches = units.Cast<IIngestBatchUnit>().Select(u => u.Batch).Where(b => !scope.MayDefer || !known.AllAppends(b.Series)).ToList();
            if (batches.Count == 0)
            {
                return;
            }

            var series = batches.SelectMany(b => b.Series).ToList();
            var ids = new long[series.Count];
            var lastTimestamps = new long?[series.Count];
            try
            {
                await AppendAllSeriesAsync(scope, series, ids, lastTimestamps, cancellationToken).ConfigureAwait(false);
            }
            catch (LibSqlException e) when (e.Kind == LibSqlFailureKind.Statement)
            {
                throw new WriteAheadRefusedException("A batch sent ahead failed: each unit writes for itself.", e);
            }

            var offset = 0;
            foreach (var batch in batches)
            {
                var end = offset + batch.Series.Count;
                scope.WroteAhead(batch, new AppendedAhead(ids[offset..end], lastTimestamps[offset..end]));
                offset = end;
            }
        }
    }

    /// <summary>
    /// One round trip: per series the series upsert (answering its id and last timestamp as they were), then the points
    /// and the statistics, each guarded by "nothing stored at or after the batch's first timestamp".
    /// </summary>
    private static async Task AppendAllSeriesAsync(WriteScope scope, IReadOnlyList<SeriesPoints> series, long[] ids, long?[] lastTimestamps, CancellationToken cancellationToken)
    {
        await using var batch = new LibSqlBatch { Connection = scope.Connection, Transaction = scope.Transaction };
        foreach (var one in series)
        {
            var keys = one.Points.Keys;
            LibSqlParameter organization = new("organization", one.Key.OrganizationId);
            LibSqlParameter metric = new("metric", one.Key.MetricKey);
            LibSqlParameter dimensions = new("dimensions", one.Key.Dimensions);
            LibSqlParameter min = new("min", keys[0]);
            batch.BatchCommands.Add(Command(EnsureSeries, organization, metric, dimensions, new("now", scope.NowText)));
            batch.BatchCommands.Add(Command(AppendJsonPoints, organization, metric, dimensions, min, new("points", one.PointsJson)));
            batch.BatchCommands.Add(AppendStatisticsCommand(scope, one, min));
        }

        // The series upserts are the batch's only result sets (the guarded writes return no columns).
        await ReadSeriesRowsAsync(batch, ids, lastTimestamps, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Per series known to end before its batch, the guarded append and the statistics, deferred to the COMMIT's request
    /// (<see cref="WriteScope.MayDefer"/>): a group of such batches costs the COMMIT alone.
    /// </summary>
    private static async Task DeferKnownAppendsAsync(WriteScope scope, IReadOnlyList<SeriesPoints> series, long[] ids, CancellationToken cancellationToken)
    {
        await using var batch = new LibSqlBatch { Connection = scope.Connection, Transaction = scope.Transaction };
        for (var s = 0; s < series.Count; s++)
        {
            LibSqlParameter min = new("min", series[s].Points.Keys[0]);
            batch.BatchCommands.Add(Command(AppendKnownJsonPoints, new("series", ids[s]), min, new("points", series[s].PointsJson)));
            batch.BatchCommands.Add(AppendStatisticsCommand(scope, series[s], min));
        }

        using (scope.Transaction.DeferWrites())
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The statistics of appending <paramref name="series"/>'s batch (<see cref="AppendStatistics"/>), its guard included.</summary>
    private static LibSqlBatchCommand AppendStatisticsCommand(WriteScope scope, SeriesPoints series, LibSqlParameter min)
    {
        var keys = series.Points.Keys;
        var spacing = series.Spacing;
        return Command(
            AppendStatistics,
            new("organization", series.Key.OrganizationId),
            new("metric", series.Key.MetricKey),
            new("dimensions", series.Key.Dimensions),
            new("now", scope.NowText),
            min,
            new("max", keys[^1]),
            new("count", keys.Count),
            new("resolution", spacing.ResolutionSeconds),
            new("below", spacing.Below),
            new("above", spacing.Above));
    }

    private static async Task EnsureAllSeriesAsync(WriteScope scope, IReadOnlyList<SeriesPoints> series, long[] ids, long?[] lastTimestamps, CancellationToken cancellationToken)
    {
        await using var ensure = new LibSqlBatch { Connection = scope.Connection, Transaction = scope.Transaction };
        foreach (var one in series)
        {
            ensure.BatchCommands.Add(Command(
                EnsureSeries,
                new("organization", one.Key.OrganizationId),
                new("metric", one.Key.MetricKey),
                new("dimensions", one.Key.Dimensions),
                new("now", scope.NowText)));
        }

        await ReadSeriesRowsAsync(ensure, ids, lastTimestamps, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the batch and reads the (id, last_ts) row of each series upsert, one result set each, in order.</summary>
    private static async Task ReadSeriesRowsAsync(LibSqlBatch batch, long[] ids, long?[] lastTimestamps, CancellationToken cancellationToken)
    {
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < ids.Length; i++)
        {
            if (i > 0 && !await reader.NextResultAsync(cancellationToken).ConfigureAwait(false)
                || !await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException("The series upsert returned no row.");
            }

            ids[i] = reader.GetInt64(0);
            lastTimestamps[i] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        }
    }

    private static LibSqlBatchCommand Command(string sql, params ReadOnlySpan<LibSqlParameter> parameters)
    {
        var command = new LibSqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        return command;
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

    private static async Task StepPointsAsync(WriteScope scope, long seriesId, SeriesPoints series, CancellationToken cancellationToken)
    {
        // A row costs only its own step in process, so a few hundred commands are reused chunk after chunk with new values,
        // and a large ingest makes no garbage per row. The series id is one parameter object shared by every command.
        var shared = new LibSqlParameter("series", seriesId);
        var keys = series.Points.Keys;
        var values = series.Points.Values;
        var chunk = Math.Min(keys.Count, RowsPerChunkInProcess);
        var timestamps = new LibSqlParameter[chunk];
        var readings = new LibSqlParameter[chunk];
        await using var batch = new LibSqlBatch { Connection = scope.Connection, Transaction = scope.Transaction };
        for (var i = 0; i < chunk; i++)
        {
            batch.BatchCommands.Add(Command(UpsertPoint, shared, timestamps[i] = new LibSqlParameter("ts", null), readings[i] = new LibSqlParameter("value", null)));
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
}
