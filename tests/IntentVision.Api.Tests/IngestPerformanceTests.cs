using System.Data.Common;
using System.Net.Http.Json;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Metrics;
using Microsoft.Data.Sqlite;

namespace IntentVision.Api.Tests;

/// <summary>
/// The semantics the ingest and read fast paths must keep: group commit keeps each call atomic and answers with its
/// own counts; the JSON fast path reads exactly what the serializer reads; canonical dimensions are byte for byte the
/// writer's; the one-pass peak downsampling picks the same points as the SQL window query it replaced.
/// </summary>
public sealed class IngestPerformanceTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly DateTimeOffset T0 = TestData.T0;

    [Fact]
    public async Task Group_commit_keeps_each_call_atomic_and_reports_its_own_counts()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var metrics = factory.Service<MetricRepository>();
        static List<MetricPoint> Points(string metric, int count, int offset = 0, double? poison = null) =>
            Enumerable.Range(offset, count).Select(i => new MetricPoint(metric, T0.AddSeconds(i), poison is { } p && i == offset + count - 1 ? p : i, new Dictionary<string, string> { ["host"] = metric })).ToList();

        await metrics.IngestAsync(tenant.Id, Points("gc.update", 10));

        // Hold the file's write lock so that every call below queues behind the writer and they are merged.
        await using (var blocker = (SqliteConnection)await factory.DataSource.OpenConnectionAsync())
        {
            await using (var begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            var good = Enumerable.Range(0, 6).Select(i => metrics.IngestAsync(tenant.Id, Points($"gc.ok{i}", 100 + i))).ToList();
            var updating = metrics.IngestAsync(tenant.Id, Points("gc.update", 10, offset: 5));

            // Fails in the database after its first series and some rows were written: NaN is stored as NULL,
            // which value NOT NULL refuses. Its first series must vanish with it.
            var badMixed = metrics.IngestAsync(tenant.Id, [.. Points("gc.bad.first", 50), .. Points("gc.bad.second", 50, poison: double.NaN)]);
            var noOrganization = metrics.IngestAsync("no-such-organization", Points("gc.orphan", 5));
            await Task.Delay(300);
            Assert.All(good, t => Assert.False(t.IsCompleted));

            await using var rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();

            var results = await Task.WhenAll(good);
            for (var i = 0; i < results.Length; i++)
            {
                Assert.Equal((100 + i, 100 + i, 0), (results[i].Accepted, results[i].Inserted, results[i].Updated));
                Assert.Single(results[i].SeriesIds);
            }

            Assert.Equal((10, 5, 5), ((await updating).Accepted, (await updating).Inserted, (await updating).Updated));
            await Assert.ThrowsAnyAsync<Exception>(() => badMixed);
            await Assert.ThrowsAnyAsync<DbException>(() => noOrganization);
        }

        Assert.Equal(0, await Scalar($"SELECT count(*) FROM time_series WHERE metric_key LIKE 'gc.bad.%' OR metric_key = 'gc.orphan'"));
        Assert.Equal(0, await Scalar($"SELECT count(*) FROM metrics WHERE metric_key LIKE 'gc.bad.%'"));
        Assert.Equal(Enumerable.Range(0, 6).Sum(i => 100 + i), await Scalar($"SELECT count(*) FROM metrics WHERE organization_id = '{tenant.Id}' AND metric_key LIKE 'gc.ok%'"));
        Assert.Equal(15, await Scalar($"SELECT point_count FROM time_series WHERE organization_id = '{tenant.Id}' AND metric_key = 'gc.update'"));
    }

    [Fact]
    public async Task A_call_cancelled_while_it_waits_writes_nothing()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var metrics = factory.Service<MetricRepository>();
        await using var blocker = (SqliteConnection)await factory.DataSource.OpenConnectionAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        var first = metrics.IngestAsync(tenant.Id, [new MetricPoint("cancel.first", T0, 1)]);
        await Task.Delay(100);
        using var cancel = new CancellationTokenSource();
        var waiting = metrics.IngestAsync(tenant.Id, [new MetricPoint("cancel.waiting", T0, 1)], cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        Assert.Equal(1, (await first).Inserted);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, await Scalar($"SELECT count(*) FROM time_series WHERE organization_id = '{tenant.Id}' AND metric_key = 'cancel.waiting'"));
    }

    public static TheoryData<string> Bodies() =>
    [
        """{"points":[{"metric":"cpu","timestamp":"2026-01-01T00:00:00Z","value":1.5,"dimensions":{"host":"a"}},{"metric":"cpu","timestamp":"2026-01-01T00:01:00+02:00","value":-2e3,"dimensions":{"host":"a"}}]}""",
        """{"Points":[{"METRIC":"cpu","TimeStamp":"2026-01-01T00:00:00Z","Value":1,"Dimensions":{"b":"1","a":"2"},"extra":{"x":[1,2,{"y":null}]}},null,{}]}""",
        """{"points":[{"metric":null,"timestamp":null,"value":null,"dimensions":null},{"metric":"m\u00e9t","dimensions":{"k":null,"h\u00e9":"v\"q"}}],"other":1}""",
        """{"points":[{"metric":"cpu","timestamp":"2026-01-01","value":"12"}]}""",
        """{"points":[{"metric":"cpu","metric":"mem"}]}""",
        """{"points":[{"metric":"cpu","dimensions":{"h":"a","h":"b"}}]}""",
        """{"po\u0069nts":[{"metric":"cpu"}]}""",
        """{"points":[{"metrıc":"cpu"}]}""",
        """{"points":null}""",
        """{}""",
        """{"points":[{"metric":"cpu","dimensions":{"host":"a"}},{"metric":"cpu","dimensions":{"host":"b"}},{"metric":"cpu","dimensions":{"host":"a"}}]}""",
        """{"points":[{"metric":"cpu","value":1e400}]}""",
        """{"points":[{"metric":"cpu","value":1}],}""",
        """{"points":[{"metric":"cpu","value":1}]} x""",
        """{"points":[{"metric":"cpu","timestamp":"yesterday"}]}""",
        """{"points":[{"metric":"cpu","value":true}]}""",
        """{"points":[{"metric":"cpu","dimensions":{"n":1}}]}""",
        """{"points":{"metric":"cpu"}}""",
        """[]""",
        """null""",
        """{"points":[1]}""",
    ];

    [Theory]
    [MemberData(nameof(Bodies))]
    public void The_json_fast_path_reads_what_the_serializer_reads(string json)
    {
        var options = new JsonSerializerOptions(JsonSerializerOptions.Web);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        var body = Encoding.UTF8.GetBytes(json);
        string Describe(Func<IngestRequest?> read)
        {
            try
            {
                var request = read();
                return request?.Points is null ? $"points:null:{request is null}" : string.Join("|", request.Points.Select(p => p is null ? "null" :
                    $"{p.Metric ?? "<null>"};{p.Timestamp?.ToString("O") ?? "<null>"};{p.Value?.ToString("R") ?? "<null>"};" +
                    (p.Dimensions is null ? "<null>" : string.Join(",", p.Dimensions.Select(d => $"{d.Key}={d.Value ?? "<null>"}")))));
            }
            catch (Exception e)
            {
                return "throws " + e.GetType().Name;
            }
        }

        var expected = Describe(() => JsonSerializer.Deserialize<IngestRequest>(body, options));
        Assert.Equal(expected, Describe(() => IngestJsonReader.Read(body, options)));
        if (IngestJsonReader.TryReadFast(body, out var fast))
        {
            Assert.Equal(expected, Describe(() => fast));
        }
    }

    [Fact]
    public void The_json_fast_path_takes_the_usual_shape_and_shares_repeated_dimensions()
    {
        var body = Encoding.UTF8.GetBytes("""{"points":[{"metric":"cpu","timestamp":"2026-01-01T00:00:00Z","value":1,"dimensions":{"host":"a"}},{"metric":"cpu","timestamp":"2026-01-01T00:01:00Z","value":2,"dimensions":{"host":"a"}}]}""");
        Assert.True(IngestJsonReader.TryReadFast(body, out var request));
        Assert.Same(request!.Points![0]!.Dimensions, request.Points[1]!.Dimensions);
        Assert.Same(request.Points[0]!.Metric, request.Points[1]!.Metric);
    }

    [Fact]
    public void Canonical_dimensions_are_the_json_writers_bytes_for_every_character()
    {
        static string Reference(IReadOnlyDictionary<string, string> dimensions)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
            {
                writer.WriteStartObject();
                foreach (var (key, value) in dimensions.OrderBy(d => d.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        var samples = Enumerable.Range(0, 256).Select(c => ((char)c).ToString()).Concat(["é", "日本", "a b", "\u2028", "x\"y", "plain-value_1.2:3/4"]);
        foreach (var sample in samples)
        {
            var dimensions = new Dictionary<string, string> { ["zeta"] = sample, ["alpha"] = "v" + sample, ["k" + (sample.Length == 1 && char.IsAsciiLetterOrDigit(sample[0]) ? sample : "x")] = "1" };
            Assert.Equal(Reference(dimensions), CanonicalDimensions.Serialize(dimensions));
        }

        Assert.Equal("{}", CanonicalDimensions.Serialize(new Dictionary<string, string>()));
        Assert.Equal("""{"a":"2","b":"1"}""", CanonicalDimensions.Serialize(new Dictionary<string, string> { ["b"] = "1", ["a"] = "2" }));
    }

    private async Task<long> Scalar(string sql)
    {
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}

/// <summary>The same on the file and on a real sqld (which takes the other code paths: multi-row upserts over Hrana, peaks folded in SQL).</summary>
public abstract class IngestPerformanceBackendTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    private static readonly DateTimeOffset T0 = TestData.T0;

    [Fact]
    public async Task Concurrent_requests_through_the_api_each_get_their_own_answer_and_a_bad_one_fails_alone()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var requests = Enumerable.Range(0, 12).Select(i => tenant.Client.PostAsJsonAsync("/api/metrics", TestData.Points($"api.gc{i}", 200 + i, v => v))).ToList();
        var bad = tenant.Client.PostAsync("/api/metrics", TestData.JsonBody("""{"points":[{"metric":"api.gc.bad","timestamp":"2020-01-01T00:00:00Z","value":1},{"metric":"api.gc.bad","value":2}]}"""));
        var responses = await Task.WhenAll(requests);
        for (var i = 0; i < responses.Length; i++)
        {
            var body = await responses[i].Json();
            Assert.Equal(200 + i, body.GetProperty("inserted").GetInt32());
            Assert.Equal(0, body.GetProperty("updated").GetInt32());
        }

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await bad).StatusCode);
        Assert.Equal(0, await Scalar($"SELECT count(*) FROM metrics WHERE organization_id = '{tenant.Id}' AND metric_key = 'api.gc.bad'"));
    }

    [Fact]
    public async Task Peak_downsampling_picks_the_points_the_window_query_picked()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var random = new Random(42);

        // Few distinct values, so that ties (earliest point wins) are common; a gap leaves buckets empty.
        var points = Enumerable.Range(0, 3000).Where(i => i is < 1200 or > 1500)
            .Select(i => new MetricPoint("peaks", T0.AddSeconds(i * 7), random.Next(0, 5) - (i % 500 == 0 ? 100 : 0), null)).ToList();
        var metrics = factory.Service<MetricRepository>();
        var id = (await metrics.IngestAsync(tenant.Id, points)).SeriesIds[0];
        var from = T0.AddSeconds(13);
        var to = T0.AddSeconds(3000 * 7);
        foreach (var bucket in new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(61), TimeSpan.FromMinutes(17), TimeSpan.FromDays(1) })
        {
            var actual = await metrics.ReadPeaksAsync(id, from, to, bucket);
            await using var connection = await factory.DataSource.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT ts, value FROM (
                    SELECT ts, value,
                           row_number() OVER (PARTITION BY (ts - {from.ToUnixTimeMilliseconds()}) / {(long)bucket.TotalMilliseconds} ORDER BY value, ts) AS lowest,
                           row_number() OVER (PARTITION BY (ts - {from.ToUnixTimeMilliseconds()}) / {(long)bucket.TotalMilliseconds} ORDER BY value DESC, ts) AS highest
                    FROM metrics WHERE series_id = {id} AND ts >= {from.ToUnixTimeMilliseconds()} AND ts < {to.ToUnixTimeMilliseconds()})
                WHERE lowest = 1 OR highest = 1 ORDER BY ts
                """;
            var expected = new List<StoredPoint>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    expected.Add(new StoredPoint(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetDouble(1)));
                }
            }

            Assert.Equal(expected, actual);
        }
    }

    private async Task<long> Scalar(string sql)
    {
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}

public sealed class IngestPerformanceTestsOnFile(ApiFactory factory) : IngestPerformanceBackendTests<ApiFactory>(factory);

public sealed class IngestPerformanceTestsOnSqld(SqldApiFactory factory) : IngestPerformanceBackendTests<SqldApiFactory>(factory);
