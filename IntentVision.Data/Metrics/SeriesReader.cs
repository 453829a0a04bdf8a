using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Data.Metrics;

/// <summary>Reads the points of a series: a time range, the latest ones, buckets folded in SQL, and peaks for charts.</summary>
public sealed class SeriesReader(LibSqlDataSource dataSource)
{
    /// <summary>Points of one series with <paramref name="from"/> &lt;= timestamp &lt; <paramref name="to"/>, oldest first.</summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadPointsAsync(long seriesId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ts, value FROM metrics WHERE series_id = @s AND ts >= @from AND ts < @to ORDER BY ts LIMIT @limit";
        command.Parameters.AddWithValue("s", seriesId);
        command.Parameters.AddWithValue("from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("to", to.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("limit", limit);
        return await ReadStoredPointsAsync(command, Math.Min(limit, 16_384), cancellationToken);
    }

    /// <summary>The latest <paramref name="limit"/> points of a series (optionally only before <paramref name="before"/>), oldest first.</summary>
    /// <remarks>Read on every detection pass, so one per ingested batch: a plain reader, no mapping layer.</remarks>
    public async Task<IReadOnlyList<StoredPoint>> ReadLatestAsync(long seriesId, int limit, DateTimeOffset? before = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ts, value FROM metrics WHERE series_id = @s AND ts < @before ORDER BY ts DESC LIMIT @limit";
        command.Parameters.AddWithValue("s", seriesId);
        command.Parameters.AddWithValue("before", (before ?? DateTimeOffset.MaxValue.AddDays(-1)).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("limit", limit);
        var list = await ReadStoredPointsAsync(command, Math.Min(limit, 16_384), cancellationToken);
        list.Reverse();
        return list;
    }

    private static async Task<List<StoredPoint>> ReadStoredPointsAsync(LibSqlCommand command, int capacity, CancellationToken cancellationToken)
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

    /// <summary>How many points of a series lie in [from, to).</summary>
    public async Task<long> CountAsync(long seriesId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM metrics WHERE series_id = @SeriesId AND ts >= @From AND ts < @To",
            new { SeriesId = seriesId, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Downsampling for charts that keeps peaks: the lowest and the highest point of every bucket, at their own
    /// timestamps (ties go to the earliest point). See <see cref="PeakDownsampler"/>.
    /// </summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadPeaksAsync(long seriesId, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await PeakDownsampler.ReadAsync(connection, seriesId, from, to, bucket, cancellationToken);
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
