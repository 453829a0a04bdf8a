using System.Data.Common;
using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Data.Metrics;

/// <summary>Writes to and reads from the metrics spine, keeping <c>time_series</c> aggregates current in the same transaction.</summary>
public sealed class MetricRepository(LibSqlDataSource dataSource, TimeProvider timeProvider)
{
    /// <summary>
    /// Stores validated points for one organization in one transaction: all of them or, on any failure, none.
    /// A point whose series and timestamp already exist replaces the stored value and counts as updated.
    /// </summary>
    public async Task<IngestResult> IngestAsync(string organizationId, IReadOnlyList<MetricPoint> points, string source = "api", CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        var groups = points
            .Select((p, i) => (Point: p, Index: i, Dimensions: CanonicalDimensions.Serialize(p.Dimensions)))
            .GroupBy(p => (p.Point.MetricKey, p.Dimensions))
            .ToList();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = 0;
        var updated = 0;
        var seriesIds = new List<long>(groups.Count);
        foreach (var group in groups)
        {
            var seriesId = await EnsureSeriesAsync(connection, transaction, organizationId, group.Key.MetricKey, group.Key.Dimensions, now, cancellationToken);
            seriesIds.Add(seriesId);

            // Within one batch the later point for a timestamp wins, as if the points had arrived one by one.
            var byTimestamp = new SortedDictionary<long, double>();
            var duplicatesInBatch = 0;
            foreach (var item in group)
            {
                var ts = item.Point.Timestamp.ToUnixTimeMilliseconds();
                if (!byTimestamp.TryAdd(ts, item.Point.Value))
                {
                    byTimestamp[ts] = item.Point.Value;
                    duplicatesInBatch++;
                }
            }

            var min = byTimestamp.Keys.First();
            var max = byTimestamp.Keys.Last();
            var existing = (await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT ts FROM metrics WHERE series_id = @SeriesId AND ts BETWEEN @Min AND @Max",
                new { SeriesId = seriesId, Min = min, Max = max }, transaction, cancellationToken: cancellationToken))).ToHashSet();

            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO metrics (organization_id, series_id, metric_key, dimensions, ts, value, source, ingested_at)
                VALUES (@OrganizationId, @SeriesId, @MetricKey, @Dimensions, @Ts, @Value, @Source, @Now)
                ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value, source = excluded.source, ingested_at = excluded.ingested_at
                """,
                byTimestamp.Select(p => new
                {
                    OrganizationId = organizationId,
                    SeriesId = seriesId,
                    group.Key.MetricKey,
                    group.Key.Dimensions,
                    Ts = p.Key,
                    Value = p.Value,
                    Source = source,
                    Now = now,
                }),
                transaction,
                cancellationToken: cancellationToken));

            var newPoints = byTimestamp.Keys.Count(ts => !existing.Contains(ts));
            inserted += newPoints;
            updated += byTimestamp.Count - newPoints + duplicatesInBatch;

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
                new { NewPoints = newPoints, Min = min, Max = max, Resolution = DetectResolutionSeconds(existing.Union(byTimestamp.Keys).Order()), Now = now, SeriesId = seriesId },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return new IngestResult(points.Count, inserted, updated, seriesIds);
    }

    /// <summary>Points of one series with <paramref name="from"/> &lt;= timestamp &lt; <paramref name="to"/>, oldest first.</summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadPointsAsync(long seriesId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Ts, double Value)>(new CommandDefinition(
            "SELECT ts, value FROM metrics WHERE series_id = @SeriesId AND ts >= @From AND ts < @To ORDER BY ts LIMIT @Limit",
            new { SeriesId = seriesId, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds(), Limit = limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => new StoredPoint(DbTime.FromMilliseconds(r.Ts), r.Value)).ToList();
    }

    private static async Task<long> EnsureSeriesAsync(DbConnection connection, DbTransaction transaction, string organizationId, string metricKey, string dimensions, string now, CancellationToken cancellationToken)
    {
        var args = new { OrganizationId = organizationId, MetricKey = metricKey, Dimensions = dimensions, Now = now };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO time_series (organization_id, metric_key, dimensions, created_at, updated_at)
            VALUES (@OrganizationId, @MetricKey, @Dimensions, @Now, @Now)
            ON CONFLICT (organization_id, metric_key, dimensions) DO NOTHING
            """,
            args, transaction, cancellationToken: cancellationToken));
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT id FROM time_series WHERE organization_id = @OrganizationId AND metric_key = @MetricKey AND dimensions = @Dimensions",
            args, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The median spacing of a batch, in whole seconds; null when the batch has fewer than two points.</summary>
    private static long? DetectResolutionSeconds(IEnumerable<long> sortedTimestamps)
    {
        var ts = sortedTimestamps as IList<long> ?? sortedTimestamps.ToList();
        if (ts.Count < 2)
        {
            return null;
        }

        var gaps = new long[ts.Count - 1];
        for (var i = 1; i < ts.Count; i++)
        {
            gaps[i - 1] = ts[i] - ts[i - 1];
        }

        Array.Sort(gaps);
        return Math.Max(1, gaps[gaps.Length / 2] / 1000);
    }
}
