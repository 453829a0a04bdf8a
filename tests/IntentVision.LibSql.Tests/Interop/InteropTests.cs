using System.Diagnostics;
using System.Text.Json;
using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Interop;

/// <summary>Rows written by this client read back identically through the official JS client, and the other way round.</summary>
[Collection(SqldCollection.Name)]
public sealed class InteropTests(SqldServer server) : IDisposable
{
    private static readonly object?[][] Rows =
    [
        [1L, 9_007_199_254_740_993L, 1.5, "héllo wörld 🌍", new byte[] { 0, 1, 2, 255 }, null],
        [2L, long.MinValue, 2.0, string.Empty, Array.Empty<byte>(), null],
        [3L, long.MaxValue, -1e-300, "日本語\n\"quoted\" \\ \t", Enumerable.Range(0, 1000).Select(i => (byte)(i % 256)).ToArray(), null],
        [4L, 0L, 1e20, new string('x', 10_000), new byte[] { 42 }, null],
    ];

    private readonly LibSqlDataSource _dataSource = server.CreateDataSource();

    [Fact]
    public async Task RowsWrittenHereReadBackIdenticallyInLibsqlClient()
    {
        var table = BackendTestBase.UniqueTable("cs");
        await using (var connection = (LibSqlConnection)await _dataSource.OpenConnectionAsync())
        {
            await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, i INTEGER, f REAL, t TEXT, b BLOB, n)");
            foreach (var row in Rows)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"INSERT INTO {table} VALUES (@id, @i, @f, @t, @b, @n)";
                foreach (var (name, value) in new[] { "id", "i", "f", "t", "b", "n" }.Zip(row))
                {
                    command.Parameters.AddWithValue(name, value);
                }

                await command.ExecuteNonQueryAsync();
            }
        }

        using var json = JsonDocument.Parse(await RunNodeAsync("read", table));
        var read = json.RootElement;
        Assert.Equal(Rows.Length, read.GetArrayLength());
        for (var r = 0; r < Rows.Length; r++)
        {
            var cells = read[r];
            Assert.Equal(((long)Rows[r][0]!).ToString(System.Globalization.CultureInfo.InvariantCulture), cells[0].GetProperty("value").GetString());
            Assert.Equal(((long)Rows[r][1]!).ToString(System.Globalization.CultureInfo.InvariantCulture), cells[1].GetProperty("value").GetString());
            Assert.Equal((double)Rows[r][2]!, cells[2].GetProperty("value").GetDouble());
            Assert.Equal((string)Rows[r][3]!, cells[3].GetProperty("value").GetString());
            Assert.Equal((byte[])Rows[r][4]!, Convert.FromBase64String(cells[4].GetProperty("base64").GetString()!));
            Assert.Equal("null", cells[5].GetProperty("type").GetString());
            Assert.Equal(["integer", "real", "text", "blob", "null"], Enumerable.Range(6, 5).Select(c => cells[c].GetProperty("value").GetString()));
        }
    }

    [Fact]
    public async Task RowsWrittenByLibsqlClientReadBackIdenticallyHere()
    {
        var table = BackendTestBase.UniqueTable("js");
        await RunNodeAsync("write", table);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, i, f, t, b, n, typeof(f) FROM {table} ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var r = 0;
        while (await reader.ReadAsync())
        {
            var expected = Rows[r++];
            Assert.Equal(expected[0], reader.GetValue(0));
            Assert.Equal(expected[1], reader.GetValue(1));
            Assert.Equal(expected[2], reader.GetValue(2));
            Assert.IsType<double>(reader.GetValue(2));
            Assert.Equal(expected[3], reader.GetString(3));
            Assert.Equal(expected[4], reader.GetFieldValue<byte[]>(4));
            Assert.True(reader.IsDBNull(5));
            Assert.Equal("real", reader.GetString(6));
        }

        Assert.Equal(Rows.Length, r);
    }

    public void Dispose() => _dataSource.Dispose();

    private async Task<string> RunNodeAsync(string mode, string table)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Interop", "interop.js"));
        info.ArgumentList.Add(server.Url);
        info.ArgumentList.Add(mode);
        info.ArgumentList.Add(table);
        info.Environment["NODE_PATH"] = RepositoryLayout.NodeModules;
        using var node = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(node.ExitCode == 0, $"node {mode} failed: {await stderr}");
        return await stdout;
    }
}
