using System.Net;
using System.Net.Sockets;
using System.Text;
using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>
/// sqld compresses every response a client asks it to, at a CPU cost that only pays across a WAN: over plain http the
/// data source does not ask, unless told to (<c>LibSqlDataSourceOptions.CompressResponses</c>). The requests pass a
/// loopback proxy that keeps what the client sent, on their way to the real sqld.
/// </summary>
public sealed class ResponseCompressionTests(SqldServer server) : IClassFixture<SqldServer>
{
    private const string Rows = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) SELECT sum(x) FROM (SELECT x FROM c)";

    [Fact]
    public async Task OverPlainHttpTheDataSourceDoesNotAskForCompression()
    {
        await using var proxy = RecordingProxy.Start(server.Port);
        await using var dataSource = LibSqlDataSource.Create($"http://127.0.0.1:{proxy.Port}");
        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal(2_001_000L, await ScalarAsync(connection, Rows));

        Assert.Contains("POST /v3/pipeline", proxy.Sent, StringComparison.Ordinal);
        Assert.DoesNotContain("accept-encoding", proxy.Sent, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AskedToTheDataSourceAsksForCompressedResponsesAndInflatesThem()
    {
        await using var proxy = RecordingProxy.Start(server.Port);
        await using var dataSource = LibSqlDataSource.Create($"http://127.0.0.1:{proxy.Port}", options: new LibSqlDataSourceOptions { CompressResponses = true });
        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal(2_001_000L, await ScalarAsync(connection, Rows));

        Assert.Contains("accept-encoding: gzip", proxy.Sent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("content-encoding: gzip", proxy.Received, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Forwards loopback TCP connections to a port, keeping a copy of the bytes each way.</summary>
    private sealed class RecordingProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly MemoryStream _sent = new();
        private readonly MemoryStream _received = new();
        private readonly List<Task> _tasks = [];

        private RecordingProxy()
        {
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public string Sent => Text(_sent);

        public string Received => Text(_received);

        public static RecordingProxy Start(int target)
        {
            var proxy = new RecordingProxy();
            proxy._listener.Start();
            proxy._tasks.Add(proxy.AcceptAsync(target));
            return proxy;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await Task.WhenAll(_tasks);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // Connections cut at shutdown.
            }

            _stop.Dispose();
        }

        private static string Text(MemoryStream stream)
        {
            lock (stream)
            {
                return Encoding.Latin1.GetString(stream.GetBuffer(), 0, (int)stream.Length);
            }
        }

        private static async Task CopyAsync(NetworkStream from, NetworkStream to, MemoryStream copy, CancellationToken cancellationToken)
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                lock (copy)
                {
                    copy.Write(buffer, 0, read);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            to.Socket.Shutdown(SocketShutdown.Send);
        }

        private async Task AcceptAsync(int target)
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, target, _stop.Token);
                lock (_tasks)
                {
                    _tasks.Add(PipeAsync(client, upstream));
                }
            }
        }

        private async Task PipeAsync(TcpClient client, TcpClient upstream)
        {
            using (client)
            using (upstream)
            {
                await Task.WhenAll(
                    CopyAsync(client.GetStream(), upstream.GetStream(), _sent, _stop.Token),
                    CopyAsync(upstream.GetStream(), client.GetStream(), _received, _stop.Token));
            }
        }
    }
}
