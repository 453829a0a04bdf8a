using System.Net;
using System.Text;
using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Remote;

[Collection(SqldCollection.Name)]
public sealed class ConcurrencyTests(SqldServer server)
{
    [Fact]
    public async Task TwentyConcurrentWritersNeverSeeSQLITEBUSY()
    {
        using var dataSource = server.CreateDataSource();
        var table = BackendTestBase.UniqueTable();
        await using (var setup = await dataSource.OpenConnectionAsync())
        {
            await ExecuteAsync(setup, $"CREATE TABLE {table} (writer INTEGER, n INTEGER)");
        }

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async writer =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            for (var n = 0; n < 25; n++)
            {
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES ({writer}, {n})");
            }
        }));

        await using var check = await dataSource.OpenConnectionAsync();
        Assert.Equal(500L, await ScalarAsync(check, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task AnAutocommitWriteThatMeetsSQLITEBUSYIsRetriedWithinTheBusyTimeout()
    {
        var handler = new ScriptedHandler(
            """{"baton":null,"base_url":null,"results":[{"type":"error","error":{"message":"database is locked","code":"SQLITE_BUSY"}},{"type":"ok","response":{"type":"close"}}]}""",
            """{"baton":null,"base_url":null,"results":[{"type":"error","error":{"message":"database is locked","code":"SQLITE_BUSY"}},{"type":"ok","response":{"type":"close"}}]}""",
            """{"baton":null,"base_url":null,"results":[{"type":"ok","response":{"type":"execute","result":{"cols":[],"rows":[],"affected_row_count":1,"last_insert_rowid":"7"}}},{"type":"ok","response":{"type":"close"}}]}""");
        using var dataSource = LibSqlDataSource.CreateWithHandler("http://fake.invalid", handler);
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(1, await ExecuteAsync(connection, "INSERT INTO t VALUES (1)"));
        Assert.Equal(3, handler.Requests.Count);

        var stubborn = new ScriptedHandler(Enumerable.Repeat(
            """{"baton":null,"base_url":null,"results":[{"type":"error","error":{"message":"database is locked","code":"SQLITE_BUSY"}}]}""", 1000).ToArray());
        using var impatient = LibSqlDataSource.CreateWithHandler("http://fake.invalid", stubborn, new LibSqlDataSourceOptions { BusyTimeout = TimeSpan.FromMilliseconds(300) });
        await using var other = await impatient.OpenConnectionAsync();
        var error = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(other, "INSERT INTO t VALUES (1)"));
        Assert.Equal("SQLITE_BUSY", error.Code);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task AServerWithoutV3IsSpokenToOnV2()
    {
        var handler = new ScriptedHandler(
            null,
            """{"baton":null,"base_url":null,"results":[{"type":"ok","response":{"type":"execute","result":{"cols":[{"name":"x","decltype":null}],"rows":[[{"type":"integer","value":"5"}]],"affected_row_count":0,"last_insert_rowid":null}}},{"type":"ok","response":{"type":"close"}}]}""",
            """{"baton":null,"base_url":null,"results":[{"type":"ok","response":{"type":"execute","result":{"cols":[{"name":"x","decltype":null}],"rows":[[{"type":"float","value":6}]],"affected_row_count":0,"last_insert_rowid":null}}},{"type":"ok","response":{"type":"close"}}]}""");
        using var dataSource = LibSqlDataSource.CreateWithHandler("libsql://fake.invalid?tls=0", handler);
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(5L, await ScalarAsync(connection, "SELECT 5"));
        Assert.Equal(6.0, await ScalarAsync(connection, "SELECT 6.0"));
        Assert.Equal(["http://fake.invalid/v3/pipeline", "http://fake.invalid/v2/pipeline", "http://fake.invalid/v2/pipeline"], handler.Requests);
    }

    /// <summary>Answers each request with the next scripted body (null: 404).</summary>
    private sealed class ScriptedHandler(params string?[] bodies) : HttpMessageHandler
    {
        private int _next;

        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request.RequestUri!.ToString());
            }

            var body = bodies[Math.Min(Interlocked.Increment(ref _next) - 1, bodies.Length - 1)];
            return Task.FromResult(body is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
