using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using IntentVision.LibSql;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IntentVision.Data.Metrics;

/// <summary>Writes to and reads from the metrics spine, keeping <c>time_series</c> aggregates current in the same transaction.</summary>
public sealed class MetricRepository(LibSqlDataSource dataSource, TimeProvider timeProvider)
{
    private const string UpsertColumns = "INSERT INTO metrics (organization_id, series_id, metric_key, dimensions, ts, value, source, ingested_at) VALUES ";

    private const string UpsertConflict = " ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value, source = excluded.source, ingested_at = excluded.ingested_at";

    /// <summary>Rows per multi-row statement on a server: 8 parameters a row stays far below SQLite's 32766 variables.</summary>
    private const int RowsPerStatement = 500;

    /// <summary>Requests merged into one transaction stop growing at this many points (the first one always goes).</summary>
    private const int MaxPointsPerGroup = 50_000;

    private readonly Lock _gate = new();
    private readonly Queue<PendingIngest> _pending = new();
    private bool _writerRunning;

    /// <summary>
    /// Stores validated points for one organization atomically: all of them or, on any failure, none.
    /// A point whose series and timestamp already exist replaces the stored value and counts as updated.
    /// </summary>
    /// <remarks>
    /// SQLite has one writer, on the file and behind sqld. Concurrent calls are not given a transaction each (they would
    /// queue on the write lock: on the file asleep in the busy handler; on sqld concurrent write transactions were seen
    /// to stall until the 30 s command timeout); one writer loop takes every call waiting and stores them in one transaction,
    /// each call inside its own savepoint, so a failing call is rolled back alone and the others still commit
    /// (group commit). A call completes only after the commit that holds its points.
    /// </remarks>
    public Task<IngestResult> IngestAsync(string organizationId, IReadOnlyList<MetricPoint> points, string source = "api", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IngestResult>(cancellationToken);
        }

        // Grouping and canonical dimensions are CPU work: done here, on the caller's thread, in parallel.
        var pending = new PendingIngest(organizationId, GroupBySeries(points), points.Count, source, cancellationToken);
        bool startWriter;
        lock (_gate)
        {
            _pending.Enqueue(pending);
            startWriter = !_writerRunning;
            _writerRunning = true;
        }

        if (startWriter)
        {
            _ = Task.Run(WriteLoopAsync, CancellationToken.None);
        }

        return pending.Completion.Task;
    }

    /// <summary>Runs while calls are waiting, one transaction per round; ends (and is restarted by the next call) when none are.</summary>
    private async Task WriteLoopAsync()
    {
        var group = new List<PendingIngest>();
        while (true)
        {
            group.Clear();
            lock (_gate)
            {
                var total = 0;
                while (_pending.TryPeek(out var next) && (group.Count == 0 || total + next.PointCount <= MaxPointsPerGroup))
                {
                    _pending.Dequeue();
                    total += next.PointCount;
                    group.Add(next);
                }

                if (group.Count == 0)
                {
                    _writerRunning = false;
                    return;
                }
            }

            group.RemoveAll(p => p.TryCancel());
            try
            {
                if (group.Count > 0)
                {
                    await WriteGroupAsync(group).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                // Never leave a caller waiting, nor the loop dead with calls queued behind it.
                foreach (var pending in group)
                {
                    pending.Completion.TrySetException(e);
                }
            }
        }
    }

    private async Task WriteGroupAsync(List<PendingIngest> group)
    {
        var results = new IngestResult?[group.Count];
        var failed = new Exception?[group.Count];
        try
        {
            var now = DbTime.ToText(timeProvider.GetUtcNow());
            await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
            using var upserts = new UpsertStatements(connection);
            for (var i = 0; i < group.Count; i++)
            {
                var request = group[i];
                if (group.Count == 1)
                {
                    results[i] = await StoreAsync(connection, transaction, upserts, request, now).ConfigureAwait(false);
                    continue;
                }

                await transaction.SaveAsync("ingest").ConfigureAwait(false);
                try
                {
                    results[i] = await StoreAsync(connection, transaction, upserts, request, now).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // This call alone is undone; a failure to roll back ends the transaction and fails the whole group below.
                    failed[i] = e;
                    await transaction.RollbackAsync("ingest").ConfigureAwait(false);
                }

                await transaction.ReleaseAsync("ingest").ConfigureAwait(false);
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Nothing of this group was committed: every call not failed yet fails with the cause.
            for (var i = 0; i < group.Count; i++)
            {
                results[i] = null;
                failed[i] ??= e;
            }
        }

        for (var i = 0; i < group.Count; i++)
        {
            if (failed[i] is { } error)
            {
                group[i].Completion.TrySetException(error);
            }
            else
            {
                group[i].Completion.TrySetResult(results[i]!);
            }
        }
    }

    private static async Task<IngestResult> StoreAsync(DbConnection connection, DbTransaction transaction, UpsertStatements upserts, PendingIngest request, string now)
    {
        var (organizationId, groups, source) = (request.OrganizationId, request.Groups, request.Source);
        var inserted = 0;
        var updated = 0;
        var seriesIds = new List<long>(groups.Count);
        foreach (var group in groups)
        {
            var (seriesId, lastTs) = await EnsureSeriesAsync(connection, transaction, organizationId, group.MetricKey, group.Dimensions, now, CancellationToken.None).ConfigureAwait(false);
            seriesIds.Add(seriesId);
            var byTimestamp = group.Points;
            var min = byTimestamp.Keys[0];
            var max = byTimestamp.Keys[^1];

            // Which timestamps exist already decides inserted versus updated; for appended data the range is empty.
            var existing = await ExistingTimestampsAsync(connection, transaction, seriesId, min, max).ConfigureAwait(false);
            if (connection is SqliteConnection)
            {
                // On the file: one prepared statement stepped per row on the SQLite handle, no Dapper and no Task per row.
                upserts.Execute(organizationId, seriesId, group.MetricKey, group.Dimensions, byTimestamp, source, now);
            }
            else
            {
                // On a server every statement is a round trip: many rows per statement instead.
                await UpsertInChunksAsync(connection, transaction, organizationId, seriesId, group.MetricKey, group.Dimensions, byTimestamp, source, now, CancellationToken.None).ConfigureAwait(false);
            }

            var newPoints = byTimestamp.Count;
            if (existing.Count > 0)
            {
                foreach (var ts in byTimestamp.Keys)
                {
                    newPoints -= existing.Contains(ts) ? 1 : 0;
                }
            }

            inserted += newPoints;
            updated += byTimestamp.Count - newPoints + group.DuplicatesInBatch;

            var spacing = new List<long>(existing.Count + byTimestamp.Count + 1);
            spacing.AddRange(existing);
            spacing.AddRange(byTimestamp.Keys);
            if (lastTs is { } previous && previous < min)
            {
                spacing.Add(previous);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE time_series
                SET point_count = point_count + @NewPoints,
                    first_ts = min(coalesce(first_ts, @Min), @Min),
                    last_ts = max(coalesce(last_ts, @Max), @Max),
                    resolution_seconds = coalesce(@Resolution, resolution_seconds),
                    updated_at = @Now
                WHERE id = @SeriesId
                """,
                new { NewPoints = newPoints, Min = min, Max = max, Resolution = DetectResolutionSeconds(spacing), Now = now, SeriesId = seriesId },
                transaction)).ConfigureAwait(false);
        }

        return new IngestResult(request.PointCount, inserted, updated, seriesIds);
    }

    private static async Task<HashSet<long>> ExistingTimestampsAsync(DbConnection connection, DbTransaction transaction, long seriesId, long min, long max)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT ts FROM metrics WHERE series_id = @s AND ts BETWEEN @min AND @max";
        AddParameter(command, "@s", seriesId);
        AddParameter(command, "@min", min);
        AddParameter(command, "@max", max);
        var existing = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            existing.Add(reader.GetInt64(0));
        }

        return existing;
    }

    /// <summary>Points of one series with <paramref name="from"/> &lt;= timestamp &lt; <paramref name="to"/>, oldest first.</summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadPointsAsync(long seriesId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ts, value FROM metrics WHERE series_id = @s AND ts >= @from AND ts < @to ORDER BY ts LIMIT @limit";
        AddParameter(command, "@s", seriesId);
        AddParameter(command, "@from", from.ToUnixTimeMilliseconds());
        AddParameter(command, "@to", to.ToUnixTimeMilliseconds());
        AddParameter(command, "@limit", limit);
        return await ReadStoredPointsAsync(command, Math.Min(limit, 16_384), cancellationToken);
    }

    /// <summary>The latest <paramref name="limit"/> points of a series (optionally only before <paramref name="before"/>), oldest first.</summary>
    /// <remarks>Read on every detection pass, so one per ingested batch: a plain reader, no mapping layer.</remarks>
    public async Task<IReadOnlyList<StoredPoint>> ReadLatestAsync(long seriesId, int limit, DateTimeOffset? before = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ts, value FROM metrics WHERE series_id = @s AND ts < @before ORDER BY ts DESC LIMIT @limit";
        AddParameter(command, "@s", seriesId);
        AddParameter(command, "@before", (before ?? DateTimeOffset.MaxValue.AddDays(-1)).ToUnixTimeMilliseconds());
        AddParameter(command, "@limit", limit);
        var list = await ReadStoredPointsAsync(command, Math.Min(limit, 16_384), cancellationToken);
        list.Reverse();
        return list;
    }

    private static async Task<List<StoredPoint>> ReadStoredPointsAsync(DbCommand command, int capacity, CancellationToken cancellationToken)
    {
        var list = new List<StoredPoint>(Math.Max(0, capacity));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new StoredPoint(DbTime.FromMilliseconds(reader.GetInt64(0)), reader.GetDouble(1)));
        }

        return list;
    }

    /// <summary>
    /// One value per bucket of <paramref name="step"/> (aligned to the Unix epoch), folded by <paramref name="aggregate"/>
    /// in SQL; each point carries the bucket's start. Empty buckets are absent.
    /// </summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadBucketsAsync(long seriesId, DateTimeOffset from, DateTimeOffset to, TimeSpan step, PointAggregate aggregate, CancellationToken cancellationToken = default)
    {
        // A sum of values near ±1.8e308 overflows to infinity, which Hrana cannot carry and JSON cannot write. avg then
        // falls back to scaled values, so it stays finite (the mean of finite values is); a sum cannot always, and what
        // is still infinite becomes NULL. 9e999 is SQLite's literal for infinity.
        var fold = aggregate switch
        {
            PointAggregate.Avg => "CASE WHEN abs(avg(value)) < 9e999 THEN avg(value) WHEN abs(avg(value * 1e-300) * 1e300) < 9e999 THEN avg(value * 1e-300) * 1e300 END",
            PointAggregate.Min => "min(value)",
            PointAggregate.Max => "max(value)",
            PointAggregate.Sum => "CASE WHEN abs(sum(value)) < 9e999 THEN sum(value) END",
            PointAggregate.Count => "CAST(count(*) AS REAL)",
            _ => null,
        };

        // 'last' relies on SQLite's rule that a bare column next to max() comes from the row holding the maximum.
        var sql = fold is null
            ? "SELECT Ts, Value FROM (SELECT ts / @Step * @Step AS Ts, value AS Value, max(ts) AS Latest FROM metrics WHERE series_id = @SeriesId AND ts >= @From AND ts < @To GROUP BY ts / @Step) ORDER BY Ts"
            : $"SELECT ts / @Step * @Step AS Ts, {fold} AS Value FROM metrics WHERE series_id = @SeriesId AND ts >= @From AND ts < @To GROUP BY ts / @Step ORDER BY Ts";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<BucketRow>(new CommandDefinition(
            sql,
            new { SeriesId = seriesId, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds(), Step = (long)step.TotalMilliseconds },
            cancellationToken: cancellationToken));
        return rows.Select(r => new StoredPoint(DbTime.FromMilliseconds(r.Ts), r.Value ?? throw new AggregateOverflowException(aggregate.ToString().ToLowerInvariant()))).ToList();
    }

    /// <summary>
    /// Downsampling for charts that keeps peaks: the lowest and the highest point of every bucket, at their own
    /// timestamps (ties go to the earliest point). Buckets start at <paramref name="from"/>; at most two points per bucket.
    /// </summary>
    /// <remarks>
    /// No window function sorts the range twice (that took 3-4 times longer for a week of minutes). On the file, one
    /// pass over the index range in timestamp order folds each bucket as it goes. On a server, where every row read
    /// is a row sent, the database folds: lowest and highest value per bucket, then the earliest point holding each,
    /// found by an index seek inside its bucket; only the chosen points travel.
    /// </remarks>
    public async Task<IReadOnlyList<StoredPoint>> ReadPeaksAsync(long seriesId, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        var start = from.ToUnixTimeMilliseconds();
        var width = Math.Max(1L, (long)bucket.TotalMilliseconds);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        AddParameter(command, "@s", seriesId);
        AddParameter(command, "@from", start);
        AddParameter(command, "@to", to.ToUnixTimeMilliseconds());
        AddParameter(command, "@w", width);
        var result = new List<StoredPoint>();
        if (connection is not SqliteConnection)
        {
            command.CommandText = """
                WITH buckets AS (
                    SELECT (ts - @from) / @w AS k, min(value) AS lo, max(value) AS hi
                    FROM metrics WHERE series_id = @s AND ts >= @from AND ts < @to
                    GROUP BY k)
                SELECT (SELECT min(ts) FROM metrics WHERE series_id = @s AND ts >= @from + k * @w AND ts < min(@from + (k + 1) * @w, @to) AND value = lo),
                       lo,
                       (SELECT min(ts) FROM metrics WHERE series_id = @s AND ts >= @from + k * @w AND ts < min(@from + (k + 1) * @w, @to) AND value = hi),
                       hi
                FROM buckets ORDER BY k
                """;
            await using var folded = await command.ExecuteReaderAsync(cancellationToken);
            while (await folded.ReadAsync(cancellationToken))
            {
                Emit(result, (folded.GetInt64(0), folded.GetDouble(1)), (folded.GetInt64(2), folded.GetDouble(3)));
            }

            return result;
        }

        command.CommandText = "SELECT ts, value FROM metrics WHERE series_id = @s AND ts >= @from AND ts < @to ORDER BY ts";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var current = long.MinValue;
        (long Ts, double Value) low = default, high = default;
        while (await reader.ReadAsync(cancellationToken))
        {
            var ts = reader.GetInt64(0);
            var value = reader.GetDouble(1);
            var index = (ts - start) / width;
            if (index != current)
            {
                if (current != long.MinValue)
                {
                    Emit(result, low, high);
                }

                current = index;
                low = high = (ts, value);
                continue;
            }

            // Rows come in timestamp order, so strictly lower/higher keeps the earliest of equal values.
            if (value < low.Value)
            {
                low = (ts, value);
            }

            if (value > high.Value)
            {
                high = (ts, value);
            }
        }

        if (current != long.MinValue)
        {
            Emit(result, low, high);
        }

        return result;

        static void Emit(List<StoredPoint> result, (long Ts, double Value) low, (long Ts, double Value) high)
        {
            if (low.Ts == high.Ts)
            {
                result.Add(new StoredPoint(DbTime.FromMilliseconds(low.Ts), low.Value));
                return;
            }

            var (first, second) = low.Ts < high.Ts ? (low, high) : (high, low);
            result.Add(new StoredPoint(DbTime.FromMilliseconds(first.Ts), first.Value));
            result.Add(new StoredPoint(DbTime.FromMilliseconds(second.Ts), second.Value));
        }
    }

    /// <summary>How many points of a series lie in [from, to).</summary>
    public async Task<long> CountAsync(long seriesId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM metrics WHERE series_id = @SeriesId AND ts >= @From AND ts < @To",
            new { SeriesId = seriesId, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    private static List<SeriesBatch> GroupBySeries(IReadOnlyList<MetricPoint> points)
    {
        var groups = new Dictionary<(string MetricKey, string Dimensions), SeriesBatch>();
        var list = new List<SeriesBatch>();

        // Points of a batch mostly share one dimensions object (the validator hands equal ones out once), or a few:
        // the canonical JSON is built once per distinct object, not once per point.
        IReadOnlyDictionary<string, string>? lastDimensions = null;
        var lastCanonical = CanonicalDimensions.Empty;
        SeriesBatch? lastBatch = null;
        foreach (var point in points)
        {
            if (!ReferenceEquals(point.Dimensions, lastDimensions) || lastBatch is null)
            {
                lastCanonical = CanonicalDimensions.Serialize(point.Dimensions);
                lastDimensions = point.Dimensions;
                lastBatch = null;
            }

            var batch = lastBatch;
            if (batch is null || !string.Equals(batch.MetricKey, point.MetricKey, StringComparison.Ordinal))
            {
                var key = (point.MetricKey, lastCanonical);
                if (!groups.TryGetValue(key, out batch))
                {
                    groups[key] = batch = new SeriesBatch(key.MetricKey, lastCanonical);
                    list.Add(batch);
                }

                lastBatch = batch;
            }

            // Within one batch the later point for a timestamp wins, as if the points had arrived one by one.
            var ts = point.Timestamp.ToUnixTimeMilliseconds();
            var keys = batch.Points.Keys;
            if (keys.Count == 0 || ts > keys[^1])
            {
                batch.Points.Add(ts, point.Value);
            }
            else if (!batch.Points.TryAdd(ts, point.Value))
            {
                batch.Points[ts] = point.Value;
                batch.DuplicatesInBatch++;
            }
        }

        return list;
    }

    private static async Task UpsertInChunksAsync(DbConnection connection, DbTransaction transaction, string organizationId, long seriesId, string metricKey, string dimensions, SortedList<long, double> points, string source, string now, CancellationToken cancellationToken)
    {
        var rows = points.ToArray();
        for (var offset = 0; offset < rows.Length; offset += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, rows.Length - offset);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder(UpsertColumns.Length + (count * 24) + UpsertConflict.Length);
            sql.Append(UpsertColumns);
            AddParameter(command, "@o", organizationId);
            AddParameter(command, "@s", seriesId);
            AddParameter(command, "@m", metricKey);
            AddParameter(command, "@d", dimensions);
            AddParameter(command, "@src", source);
            AddParameter(command, "@now", now);
            for (var i = 0; i < count; i++)
            {
                var (ts, value) = rows[offset + i];
                sql.Append(i == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"(@o,@s,@m,@d,@t{i},@v{i},@src,@now)");
                AddParameter(command, $"@t{i}", ts);
                AddParameter(command, $"@v{i}", value);
            }

            sql.Append(UpsertConflict);
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbParameter AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static async Task<(long Id, long? LastTs)> EnsureSeriesAsync(DbConnection connection, DbTransaction transaction, string organizationId, string metricKey, string dimensions, string now, CancellationToken cancellationToken)
    {
        // The no-op update makes RETURNING answer for an existing series too: one statement, one round trip.
        var row = await connection.QuerySingleAsync<SeriesKeyRow>(new CommandDefinition(
            """
            INSERT INTO time_series (organization_id, metric_key, dimensions, created_at, updated_at)
            VALUES (@OrganizationId, @MetricKey, @Dimensions, @Now, @Now)
            ON CONFLICT (organization_id, metric_key, dimensions) DO UPDATE SET updated_at = time_series.updated_at
            RETURNING id AS Id, last_ts AS LastTs
            """,
            new { OrganizationId = organizationId, MetricKey = metricKey, Dimensions = dimensions, Now = now },
            transaction,
            cancellationToken: cancellationToken));
        return (row.Id, row.LastTs);
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

    private sealed class SeriesBatch(string metricKey, string dimensions)
    {
        public string MetricKey { get; } = metricKey;

        public string Dimensions { get; } = dimensions;

        public SortedList<long, double> Points { get; } = [];

        public int DuplicatesInBatch { get; set; }
    }

    /// <summary>A call waiting for the writer: its points grouped by series, and the task its caller awaits.</summary>
    private sealed class PendingIngest(string organizationId, List<SeriesBatch> groups, int pointCount, string source, CancellationToken cancellationToken)
    {
        public string OrganizationId { get; } = organizationId;

        public List<SeriesBatch> Groups { get; } = groups;

        public int PointCount { get; } = pointCount;

        public string Source { get; } = source;

        public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>A call cancelled while it waited is dropped before anything of it is written.</summary>
        public bool TryCancel() => cancellationToken.IsCancellationRequested && Completion.TrySetCanceled(cancellationToken);
    }

    /// <summary>
    /// The upsert on the file: one statement prepared once per transaction on the connection's SQLite handle, the
    /// per-series values bound once per series and only timestamp and value re-bound per row, by position.
    /// (Microsoft.Data.Sqlite re-binds every parameter of a command on every execution and looks each up by name,
    /// which made the upsert cost twice the insert itself.)
    /// </summary>
    private sealed class UpsertStatements(DbConnection connection) : IDisposable
    {
        private sqlite3_stmt? _statement;

        public void Execute(string organizationId, long seriesId, string metricKey, string dimensions, SortedList<long, double> points, string source, string now)
        {
            var db = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The connection is not open.");
            if (_statement is null)
            {
                Check(raw.sqlite3_prepare_v2(db, UpsertColumns + "(?1,?2,?3,?4,?5,?6,?7,?8)" + UpsertConflict, out var prepared), db);
                _statement = prepared;
            }

            var statement = _statement;
            Check(raw.sqlite3_bind_text(statement, 1, organizationId), db);
            Check(raw.sqlite3_bind_int64(statement, 2, seriesId), db);
            Check(raw.sqlite3_bind_text(statement, 3, metricKey), db);
            Check(raw.sqlite3_bind_text(statement, 4, dimensions), db);
            Check(raw.sqlite3_bind_text(statement, 7, source), db);
            Check(raw.sqlite3_bind_text(statement, 8, now), db);
            var keys = points.Keys;
            var values = points.Values;
            for (var i = 0; i < keys.Count; i++)
            {
                Check(raw.sqlite3_bind_int64(statement, 5, keys[i]), db);
                Check(raw.sqlite3_bind_double(statement, 6, values[i]), db);
                var rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    try
                    {
                        SqliteException.ThrowExceptionForRC(rc, db);
                    }
                    finally
                    {
                        raw.sqlite3_reset(statement);
                    }
                }

                raw.sqlite3_reset(statement);
            }
        }

        public void Dispose()
        {
            _statement?.Dispose();
            _statement = null;
        }

        private static void Check(int rc, sqlite3 db)
        {
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }
    }

    private sealed class SeriesKeyRow
    {
        public long Id { get; set; }

        public long? LastTs { get; set; }
    }

    private sealed class BucketRow
    {
        public long Ts { get; set; }

        public double? Value { get; set; }
    }

    private sealed class PointRow
    {
        public long Ts { get; set; }

        public double Value { get; set; }

        public StoredPoint ToPoint() => new(DbTime.FromMilliseconds(Ts), Value);
    }
}
