using System.Data;
using System.Net;
using System.Text;
using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>
/// The server side of streamed readers: which requests carry what, that no stream is left behind, that a
/// transaction's stream outlives the server's idle timeout while rows stream, and how a response that breaks, stalls
/// or is missing looks to the caller.
/// </summary>
public sealed class CursorTests(SqldServer server) : IClassFixture<SqldServer>
{
    // 4,000 characters a row: past sqld's 10 MB response limit after 2,500 rows, so readers stream.
    private const string Endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x, hex(zeroblob(2000)) FROM n";

    private const string Head = "{\"baton\":null,\"base_url\":null}\n{\"type\":\"step_begin\",\"step\":0,\"cols\":[{\"name\":\"x\",\"decltype\":null}]}\n";

    private const string TwoRows = "{\"type\":\"row\",\"row\":[{\"type\":\"integer\",\"value\":\"1\"}]}\n{\"type\":\"row\",\"row\":[{\"type\":\"integer\",\"value\":\"2\"}]}\n";

    [Fact]
    public async Task OnlyReadersOfResultsLargerThanOneResponseStream()
    {
        var recorder = new RecordingHandler(new SocketsHttpHandler());
        using var dataSource = LibSqlDataSource.CreateWithHandler(server.Url, recorder);
        var table = BackendTestBase.UniqueTable();
        await using var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v TEXT)");
        recorder.Paths.Clear();

        await using (var command = new LibSqlCommand(Endless + " LIMIT 5000", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
        }

        // The pipeline refused as too large, the cursor, and the close of its stream sent beside it.
        Assert.Equal(["/v3/cursor", "/v3/pipeline", "/v3/pipeline"], recorder.Take());

        await using (var command = new LibSqlCommand(Endless + " LIMIT 2000", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
        }

        Assert.Equal(["/v3/pipeline"], recorder.Take());

        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
        await using (var command = new LibSqlCommand(Endless + " LIMIT 1", connection))
        await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow))
        {
            Assert.True(await reader.ReadAsync());
        }

        await using (var command = new LibSqlCommand($"INSERT INTO {table} (v) VALUES ('a') RETURNING id", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(1L, reader.GetInt64(0));
        }

        // A scalar, a single row asked for, and a write.
        Assert.Equal(["/v3/pipeline", "/v3/pipeline", "/v3/pipeline"], recorder.Take());
    }

    [Fact]
    public async Task AReaderLeftHalfWayHasClosedItsStreamWhenItIsDisposed()
    {
        var batons = new BatonCatcher(new SocketsHttpHandler());
        using var dataSource = LibSqlDataSource.CreateWithHandler(server.Url, batons);
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var command = new LibSqlCommand(Endless, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            for (var row = 0; row < 10; row++)
            {
                Assert.True(await reader.ReadAsync());
            }
        }

        // The cursor's stream is gone: its baton no longer names one (a leaked stream would answer 200 for 10 s).
        var baton = Assert.Single(batons.Batons);
        using var http = new HttpClient();
        using var probe = await http.PostAsync($"{server.Url}/v3/pipeline", new StringContent($$"""{"baton":"{{baton}}","requests":[]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, probe.StatusCode);
    }

    [Fact]
    public async Task AReaderInATransactionOutlivesTheServersStreamIdleTimeout()
    {
        using var dataSource = server.CreateDataSource();
        var table = BackendTestBase.UniqueTable();
        await using var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY)");
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} SELECT x FROM ({Endless} LIMIT 3000)", transaction);
            await using (var command = new LibSqlCommand($"SELECT id, hex(zeroblob(2000)) FROM {table} ORDER BY id", connection, transaction))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());

                // Longer than sqld keeps an idle stream (10 s): the reader's keep-alive renews it.
                await Task.Delay(TimeSpan.FromSeconds(12));
                var read = 1;
                while (await reader.ReadAsync())
                {
                    read++;
                }

                Assert.Equal(3000, read);
            }

            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (3001)", transaction);
            await transaction.CommitAsync();
        }

        Assert.Equal(3001L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task AConnectionThatBreaksMidResultIsANetworkError()
    {
        using var dataSource = LibSqlDataSource.CreateWithHandler("http://fake.invalid", new CursorHandler(() => new ScriptedBody(Head + TwoRows, ScriptedBody.Then.Break)));
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new LibSqlCommand("SELECT x FROM t", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(await reader.ReadAsync());
        var error = await Assert.ThrowsAsync<LibSqlException>(() => reader.ReadAsync());
        Assert.Equal("NETWORK_ERROR", error.Code);
        Assert.Equal("SELECT x FROM t", error.Statement);
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public async Task AResponseThatEndsBeforeItsResultIsANetworkError()
    {
        using var dataSource = LibSqlDataSource.CreateWithHandler("http://fake.invalid", new CursorHandler(() => new ScriptedBody(Head + TwoRows, ScriptedBody.Then.End)));
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new LibSqlCommand("SELECT x FROM t", connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.True(reader.Read());
        var error = Assert.Throws<LibSqlException>(() => reader.Read());
        Assert.Equal("NETWORK_ERROR", error.Code);
        Assert.Contains("ended before the result was complete", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatStallsMidResultFailsTheReadWithATimeout()
    {
        using var dataSource = LibSqlDataSource.CreateWithHandler("http://fake.invalid", new CursorHandler(() => new ScriptedBody(Head + TwoRows, ScriptedBody.Then.Stall)));
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new LibSqlCommand("SELECT x FROM t", connection) { CommandTimeout = 1 };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(await reader.ReadAsync());
        var error = await Assert.ThrowsAsync<LibSqlException>(() => reader.ReadAsync());
        Assert.Equal("TIMEOUT", error.Code);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task ACancelledReadReleasesTheResponse()
    {
        ScriptedBody? body = null;
        using var dataSource = LibSqlDataSource.CreateWithHandler("http://fake.invalid", new CursorHandler(() => body = new ScriptedBody(Head + TwoRows, ScriptedBody.Then.Stall)));
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new LibSqlCommand("SELECT x FROM t", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(await reader.ReadAsync());
        Assert.False(body!.Disposed);

        // The server sends nothing more: the read waits until it is cancelled, and the response goes with it.
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(cancellation.Token));
        Assert.True(body.Disposed);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync());
    }

    [Fact]
    public async Task AServerWithoutCursorsIsReadThroughThePipeline()
    {
        var handler = new CursorHandler(null);
        using var dataSource = LibSqlDataSource.CreateWithHandler("http://fake.invalid", handler);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new LibSqlCommand("SELECT x FROM t", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(5L, reader.GetInt64(0));
        Assert.Equal(["/v3/pipeline", "/v3/cursor", "/v2/pipeline"], handler.Paths);
    }

    /// <summary>Notes the baton that each cursor response of the real server starts with.</summary>
    private sealed class BatonCatcher(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public List<string> Batons { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("/cursor", StringComparison.Ordinal))
            {
                var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                var head = new MemoryStream();
                int next;
                while ((next = body.ReadByte()) is not -1 and not '\n')
                {
                    head.WriteByte((byte)next);
                }

                using var json = System.Text.Json.JsonDocument.Parse(head.ToArray());
                Batons.Add(json.RootElement.GetProperty("baton").GetString()!);
                head.WriteByte((byte)'\n');
                head.Position = 0;
                response.Content = new StreamContent(new ConcatenatedStream(head, body));
            }

            return response;
        }
    }

    /// <summary>The first stream, then the second: the head line read off a body, put back in front of its rest.</summary>
    private sealed class ConcatenatedStream(Stream first, Stream second) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = first.Read(buffer, offset, count);
            return read > 0 ? read : second.Read(buffer, offset, count);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await first.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : await second.ReadAsync(buffer, cancellationToken);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                second.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// A fake server: cursors answer with the scripted body (404 without one); v3 pipelines say the response would be
    /// too large (so readers stream), v2 pipelines answer one row, 5.
    /// </summary>
    private sealed class CursorHandler(Func<Stream>? cursorBody) : HttpMessageHandler
    {
        public List<string> Paths { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            lock (Paths)
            {
                Paths.Add(path);
            }

            if (path.EndsWith("/cursor", StringComparison.Ordinal))
            {
                return cursorBody is null
                    ? new HttpResponseMessage(HttpStatusCode.NotFound)
                    : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(cursorBody()) };
            }

            const string Five = """{"baton":null,"base_url":null,"results":[{"type":"ok","response":{"type":"execute","result":{"cols":[{"name":"x","decltype":null}],"rows":[[{"type":"integer","value":"5"}]],"affected_row_count":0,"last_insert_rowid":null}}},{"type":"ok","response":{"type":"close"}}]}""";
            const string TooLarge = """{"baton":null,"base_url":null,"results":[{"type":"error","error":{"message":"Response is too large","code":"RESPONSE_TOO_LARGE"}},{"type":"ok","response":{"type":"close"}}]}""";
            var body = path.StartsWith("/v2/", StringComparison.Ordinal) ? Five : TooLarge;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }

    /// <summary>A response body that sends its text, then breaks, ends, or sends nothing more until it is disposed.</summary>
    private sealed class ScriptedBody(string text, ScriptedBody.Then then) : Stream
    {
        private readonly byte[] _data = Encoding.UTF8.GetBytes(text);
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public enum Then
        {
            Break,
            End,
            Stall,
        }

        public bool Disposed => _disposed.Task.IsCompleted;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < _data.Length)
            {
                var n = Math.Min(buffer.Length, _data.Length - _position);
                _data.AsMemory(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            switch (then)
            {
                case Then.Break:
                    throw new IOException("The connection was reset by the peer.");
                case Then.End:
                    return 0;
                default:
                    await _disposed.Task.WaitAsync(cancellationToken);
                    throw new ObjectDisposedException(nameof(ScriptedBody));
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetResult();
            base.Dispose(disposing);
        }
    }
}
