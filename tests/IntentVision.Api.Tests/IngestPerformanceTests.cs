using System.Data.Common;
using System.Net.Http.Json;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Metrics;

namespace IntentVision.Api.Tests;

/// <summary>
/// The semantics the JSON fast path must keep: it reads exactly what the serializer reads. (Group commit, canonical
/// dimensions and peak downsampling are tested beside their code, in IntentVision.Data.Tests.)
/// </summary>
public sealed class IngestJsonReaderTests
{
    private static readonly DateTimeOffset T0 = TestData.T0;

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
    public void TheJsonFastPathReadsWhatTheSerializerReads(string json)
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
    public void TheJsonFastPathTakesTheUsualShapeAndSharesRepeatedDimensions()
    {
        var body = Encoding.UTF8.GetBytes("""{"points":[{"metric":"cpu","timestamp":"2026-01-01T00:00:00Z","value":1,"dimensions":{"host":"a"}},{"metric":"cpu","timestamp":"2026-01-01T00:01:00Z","value":2,"dimensions":{"host":"a"}}]}""");
        Assert.True(IngestJsonReader.TryReadFast(body, out var request));
        Assert.Same(request!.Points![0]!.Dimensions, request.Points[1]!.Dimensions);
        Assert.Same(request.Points[0]!.Metric, request.Points[1]!.Metric);
    }
}

/// <summary>Concurrent requests through the API, on the file and on a real sqld.</summary>
public abstract class IngestPerformanceBackendTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    private static readonly DateTimeOffset T0 = TestData.T0;

    [Fact]
    public async Task ConcurrentRequestsThroughTheApiEachGetTheirOwnAnswerAndABadOneFailsAlone()
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
        Assert.Equal(0, await Scalar($"SELECT count(*) FROM metrics m JOIN time_series s ON s.id = m.series_id WHERE s.organization_id = '{tenant.Id}' AND s.metric_key = 'api.gc.bad'"));
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
