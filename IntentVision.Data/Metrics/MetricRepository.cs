using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using IntentVision.LibSql;
using Microsoft.Data.Sqlite;

namespace IntentVision.Data.Metrics;

/// <summary>Writes to and reads from the metrics spine, keeping <c>time_series</c> aggregates current in the same transaction.</summary>
public sealed class MetricRepository(LibSqlDataSource dataSource, TimeProvider timeProvider)
{
    private const string UpsertColumns = "INSERT INTO metrics (organization_id, series_id, metric_key, dimensions, ts, value, source, ingested_at) VALUES ";

    private const string UpsertConflict = " ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value, source = excluded.source, ingested_at = excluded.ingested_at";

    /// <summary>Rows per multi-row statement on a server: 8 parameters a row stays far below SQLite's 32766 variables.</summary>
    private const int RowsPerStatement = 500;

    /// <summary>
    /// Stores validated points for one organization in one transaction: all of them or, on any failure, none.
    /// A point whose series and timestamp already exist replaces the stored value and counts as updated.
    /// </summary>
    public async Task<IngestResult> IngestAsync(string organizationId, IReadOnlyList<MetricPoint> points, string source = "api", CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        var groups = GroupBySeries(points);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = 0;
        var updated = 0;
        var seriesIds = new List<long>(groups.Count);
        var prepared = connection is SqliteConnection ? new PreparedUpsert(connection, transaction) : null;
        try
        {
            foreach (var group in groups)
            {
                var (seriesId, lastTs) = await EnsureSeriesAsync(connection, transaction, organizationId, group.MetricKey, group.Dimensions, now, cancellationToken);
                seriesIds.Add(seriesId);
                var byTimestamp = group.Points;
                var min = byTimestamp.Keys[0];
                var max = byTimestamp.Keys[^1];

                // Which timestamps exist already decides inserted versus updated; for appended data the range is empty.
                var existing = (await connection.QueryAsync<long>(new CommandDefinition(
                    "SELECT ts FROM metrics WHERE series_id = @SeriesId AND ts BETWEEN @Min AND @Max",
                    new { SeriesId = seriesId, Min = min, Max = max }, transaction, cancellationToken: cancellationToken))).ToHashSet();

                if (prepared is not null)
                {
                    // On the file a prepared statement re-bound per row is the fastest path SQLite has.
                    foreach (var (ts, value) in byTimestamp)
                    {
                        await prepared.ExecuteAsync(organizationId, seriesId, group.MetricKey, group.Dimensions, ts, value, source, now, cancellationToken);
                    }
                }
                else
                {
                    // On a server every statement is a round trip: many rows per statement instead.
                    await UpsertInChunksAsync(connection, transaction, organizationId, seriesId, group.MetricKey, group.Dimensions, byTimestamp, source, now, cancellationToken);
                }

                var newPoints = 0;
                foreach (var ts in byTimestamp.Keys)
                {
                    newPoints += existing.Contains(ts) ? 0 : 1;
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
                    transaction,
                    cancellationToken: cancellationToken));
            }
        }
        finally
        {
            prepared?.Dispose();
        }

        await transaction.CommitAsync(cancellationToken);
        return new IngestResult(points.Count, inserted, updated, seriesIds);
    }

    /// <summary>Points of one series with <paramref name="from"/> &lt;= timestamp &lt; <paramref name="to"/>, oldest first.</summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadPointsAsync(long seriesId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PointRow>(new CommandDefinition(
            "SELECT ts AS Ts, value AS Value FROM metrics WHERE series_id = @SeriesId AND ts >= @From AND ts < @To ORDER BY ts LIMIT @Limit",
            new { SeriesId = seriesId, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds(), Limit = limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPoint()).ToList();
    }

    /// <summary>The latest <paramref name="limit"/> points of a series (optionally only before <paramref name="before"/>), oldest first.</summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadLatestAsync(long seriesId, int limit, DateTimeOffset? before = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PointRow>(new CommandDefinition(
            "SELECT ts AS Ts, value AS Value FROM metrics WHERE series_id = @SeriesId AND ts < @Before ORDER BY ts DESC LIMIT @Limit",
            new { SeriesId = seriesId, Limit = limit, Before = (before ?? DateTimeOffset.MaxValue.AddDays(-1)).ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        var list = rows.Select(r => r.ToPoint()).ToList();
        list.Reverse();
        return list;
    }

    /// <summary>
    /// One value per bucket of <paramref name="step"/> (aligned to the Unix epoch), folded by <paramref name="aggregate"/>
    /// in SQL; each point carries the bucket's start. Empty buckets are absent.
    /// </summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadBucketsAsync(long seriesId, DateTimeOffset from, DateTimeOffset to, TimeSpan step, PointAggregate aggregate, CancellationToken cancellationToken = default)
    {
        var fold = aggregate switch
        {
            PointAggregate.Avg => "avg(value)",
            PointAggregate.Min => "min(value)",
            PointAggregate.Max => "max(value)",
            PointAggregate.Sum => "sum(value)",
            PointAggregate.Count => "CAST(count(*) AS REAL)",
            _ => null,
        };

        // 'last' relies on SQLite's rule that a bare column next to max() comes from the row holding the maximum.
        var sql = fold is null
            ? "SELECT Ts, Value FROM (SELECT ts / @Step * @Step AS Ts, value AS Value, max(ts) AS Latest FROM metrics WHERE series_id = @SeriesId AND ts >= @From AND ts < @To GROUP BY ts / @Step) ORDER BY Ts"
            : $"SELECT ts / @Step * @Step AS Ts, {fold} AS Value FROM metrics WHERE series_id = @SeriesId AND ts >= @From AND ts < @To GROUP BY ts / @Step ORDER BY Ts";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PointRow>(new CommandDefinition(
            sql,
            new { SeriesId = seriesId, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds(), Step = (long)step.TotalMilliseconds },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPoint()).ToList();
    }

    /// <summary>
    /// Downsampling for charts that keeps peaks: the lowest and the highest point of every bucket, at their own
    /// timestamps, chosen in SQL. Buckets start at <paramref name="from"/>; at most two points per bucket.
    /// </summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadPeaksAsync(long seriesId, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PointRow>(new CommandDefinition(
            """
            SELECT Ts, Value FROM (
                SELECT ts AS Ts, value AS Value,
                       row_number() OVER (PARTITION BY (ts - @From) / @Bucket ORDER BY value, ts) AS Lowest,
                       row_number() OVER (PARTITION BY (ts - @From) / @Bucket ORDER BY value DESC, ts) AS Highest
                FROM metrics WHERE series_id = @SeriesId AND ts >= @From AND ts < @To)
            WHERE Lowest = 1 OR Highest = 1
            ORDER BY Ts
            """,
            new { SeriesId = seriesId, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds(), Bucket = Math.Max(1L, (long)bucket.TotalMilliseconds) },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPoint()).ToList();
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
        foreach (var point in points)
        {
            var key = (point.MetricKey, CanonicalDimensions.Serialize(point.Dimensions));
            if (!groups.TryGetValue(key, out var batch))
            {
                groups[key] = batch = new SeriesBatch(key.MetricKey, key.Item2);
            }

            // Within one batch the later point for a timestamp wins, as if the points had arrived one by one.
            var ts = point.Timestamp.ToUnixTimeMilliseconds();
            if (!batch.Points.TryAdd(ts, point.Value))
            {
                batch.Points[ts] = point.Value;
                batch.DuplicatesInBatch++;
            }
        }

        return groups.Values.ToList();
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

    /// <summary>One upsert statement prepared once per transaction and re-bound for every row.</summary>
    private sealed class PreparedUpsert : IDisposable
    {
        private readonly DbCommand _command;
        private readonly DbParameter[] _parameters;
        private bool _prepared;

        public PreparedUpsert(DbConnection connection, DbTransaction transaction)
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = UpsertColumns + "(@o,@s,@m,@d,@t,@v,@src,@now)" + UpsertConflict;
            _parameters = new[] { "@o", "@s", "@m", "@d", "@t", "@v", "@src", "@now" }.Select(n => AddParameter(_command, n, DBNull.Value)).ToArray();
        }

        public async Task ExecuteAsync(string organizationId, long seriesId, string metricKey, string dimensions, long ts, double value, string source, string now, CancellationToken cancellationToken)
        {
            _parameters[0].Value = organizationId;
            _parameters[1].Value = seriesId;
            _parameters[2].Value = metricKey;
            _parameters[3].Value = dimensions;
            _parameters[4].Value = ts;
            _parameters[5].Value = value;
            _parameters[6].Value = source;
            _parameters[7].Value = now;
            if (!_prepared)
            {
                _command.Prepare();
                _prepared = true;
            }

            await _command.ExecuteNonQueryAsync(cancellationToken);
        }

        public void Dispose() => _command.Dispose();
    }

    private sealed class SeriesKeyRow
    {
        public long Id { get; set; }

        public long? LastTs { get; set; }
    }

    private sealed class PointRow
    {
        public long Ts { get; set; }

        public double Value { get; set; }

        public StoredPoint ToPoint() => new(DbTime.FromMilliseconds(Ts), Value);
    }
}
