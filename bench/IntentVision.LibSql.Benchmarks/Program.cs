using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IntentVision.LibSql;
using IntentVision.TestSupport;

// One run, one sqld, two clients: IntentVision.LibSql here and @libsql/client on Node, same four workloads.
// Prints rows/s for each side and the ratio (ours / theirs). `dotnet run -c Release --project bench/IntentVision.LibSql.Benchmarks`
// `... -- read-memory [--rows N]`: what reading a large result adds to the peak memory (see ReadMemoryBenchmark).

switch (args.FirstOrDefault())
{
    case ReadMemoryBenchmark.Verb:
        return await ReadMemoryBenchmark.RunAsync(args[1..]);
    case ReadMemoryProbe.Verb:
        return await ReadMemoryProbe.RunAsync(args[1..]);
}

await using var server = await SqldServer.StartAsync();
Console.WriteLine($"sqld at {server.Url} ({RepositoryLayout.SqldBinary})");
using var dataSource = server.CreateDataSource();

const string Columns = "(id INTEGER PRIMARY KEY, series TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL)";
static string Insert(string table) => $"INSERT INTO {table} (series, ts, value) VALUES (?, ?, ?)";

await using (var setup = (LibSqlConnection)await dataSource.OpenConnectionAsync())
{
    foreach (var table in new[] { "cs_warm", "cs_seq", "cs_bulk", "cs_conc" })
    {
        await ExecuteAsync(setup, $"CREATE TABLE {table} {Columns}");
    }

    // Warm-up: JIT, the HTTP connection pool, the server's statement cache.
    for (var i = 0; i < 50; i++)
    {
        await ExecuteAsync(setup, Insert("cs_warm"), "warm", i, i * 0.5);
        await ReadOneAsync(setup, "cs_warm", i + 1);
    }
}

var ours = new Dictionary<string, double>();
var busyErrors = 0;
await using (var connection = (LibSqlConnection)await dataSource.OpenConnectionAsync())
{
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < 2000; i++)
    {
        await ExecuteAsync(connection, Insert("cs_seq"), "cpu", i, i * 0.5);
    }

    ours["sequentialInserts"] = 2000 / watch.Elapsed.TotalSeconds;

    watch.Restart();
    await using (var transaction = connection.BeginTransaction())
    await using (var batch = connection.CreateBatch())
    {
        batch.Transaction = transaction;
        for (var i = 0; i < 10_000; i++)
        {
            batch.BatchCommands.Add(Insert("cs_bulk"), "cpu", i, i * 0.25);
        }

        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    ours["bulkInsertInTransaction"] = 10_000 / watch.Elapsed.TotalSeconds;

    watch.Restart();
    for (var i = 0; i < 1000; i++)
    {
        await ReadOneAsync(connection, "cs_seq", 1 + ((i * 7) % 2000));
    }

    ours["pointSelects"] = 1000 / watch.Elapsed.TotalSeconds;

    watch.Restart();
    await Task.WhenAll(Enumerable.Range(0, 20).Select(async writer =>
    {
        await using var own = (LibSqlConnection)await dataSource.OpenConnectionAsync();
        for (var n = 0; n < 100; n++)
        {
            try
            {
                await ExecuteAsync(own, Insert("cs_conc"), $"w{writer}", n, (double)n);
            }
            catch (LibSqlException ex) when (ex.Code?.StartsWith("SQLITE_BUSY", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref busyErrors);
            }
        }
    }));
    ours["concurrentWriters"] = 2000 / watch.Elapsed.TotalSeconds;
}

var theirs = await RunNodeAsync(server.Url);

Console.WriteLine();
Console.WriteLine($"{"workload",-42} {"IntentVision.LibSql",20} {"@libsql/client",16} {"ratio",8} {"goal",6}");
var goals = new Dictionary<string, double> { ["sequentialInserts"] = 1.0, ["bulkInsertInTransaction"] = 1.5, ["pointSelects"] = 1.0, ["concurrentWriters"] = 0 };
var names = new Dictionary<string, string>
{
    ["sequentialInserts"] = "2,000 sequential single-row INSERTs",
    ["bulkInsertInTransaction"] = "10,000-row insert in a transaction",
    ["pointSelects"] = "1,000 point SELECTs",
    ["concurrentWriters"] = "20 concurrent writers x 100 rows",
};
foreach (var (key, name) in names)
{
    var ratio = ours[key] / theirs.GetProperty(key).GetDouble();
    var goal = goals[key] > 0 ? (ratio >= goals[key] ? "met" : $"<{goals[key]:0.0}x") : "-";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-42} {ours[key],16:N0} r/s {theirs.GetProperty(key).GetDouble(),12:N0} r/s {ratio,7:0.00}x {goal,6}"));
}

Console.WriteLine($"SQLITE_BUSY reaching the caller (concurrent case): IntentVision.LibSql {busyErrors}, @libsql/client {theirs.GetProperty("busyErrors").GetInt32()}");
return busyErrors == 0 ? 0 : 1;

static async Task ExecuteAsync(LibSqlConnection connection, string sql, params object?[] values)
{
    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    foreach (var value in values)
    {
        command.Parameters.Add(new LibSqlParameter(null, value));
    }

    await command.ExecuteNonQueryAsync();
}

static async Task ReadOneAsync(LibSqlConnection connection, string table, long id)
{
    await using var command = connection.CreateCommand();
    command.CommandText = $"SELECT series, ts, value FROM {table} WHERE id = ?";
    command.Parameters.Add(new LibSqlParameter(null, id));
    await using var reader = await command.ExecuteReaderAsync();
    if (!await reader.ReadAsync())
    {
        throw new InvalidOperationException("point read found no row");
    }

    _ = reader.GetString(0);
    _ = reader.GetInt64(1);
    _ = reader.GetDouble(2);
}

static async Task<JsonElement> RunNodeAsync(string url)
{
    var script = Path.Combine(AppContext.BaseDirectory, "libsql-client-bench.js");
    var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    info.ArgumentList.Add(script);
    info.ArgumentList.Add(url);
    info.Environment["NODE_PATH"] = RepositoryLayout.NodeModules;
    using var node = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
    var stdout = node.StandardOutput.ReadToEndAsync();
    var stderr = node.StandardError.ReadToEndAsync();
    await node.WaitForExitAsync();
    if (node.ExitCode != 0)
    {
        throw new InvalidOperationException($"node failed ({node.ExitCode}): {await stderr}");
    }

    return JsonDocument.Parse(await stdout).RootElement.Clone();
}
