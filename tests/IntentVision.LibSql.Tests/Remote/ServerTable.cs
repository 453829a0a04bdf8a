using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>
/// A new table of its own, (id INTEGER PRIMARY KEY, v TEXT), on the server, with an open connection through a data source
/// whose requests are recorded (the setup's requests already taken).
/// </summary>
internal sealed class ServerTable(RecordingHandler recorder, LibSqlDataSource dataSource, LibSqlConnection connection, string name) : IAsyncDisposable
{
    public RecordingHandler Recorder { get; } = recorder;

    public LibSqlConnection Connection { get; } = connection;

    public string Name { get; } = name;

    public static async Task<ServerTable> CreateAsync(string url)
    {
        var recorder = new RecordingHandler(new SocketsHttpHandler());
        var dataSource = LibSqlDataSource.CreateWithHandler(url, recorder);
        var name = BackendTestBase.UniqueTable();
        var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {name} (id INTEGER PRIMARY KEY, v TEXT)");
        recorder.Take();
        return new ServerTable(recorder, dataSource, connection, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        dataSource.Dispose();
    }
}
