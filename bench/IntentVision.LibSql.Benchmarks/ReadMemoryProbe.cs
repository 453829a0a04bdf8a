using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IntentVision.LibSql;

/// <summary>
/// The measuring process of `read-memory`: warms up, settles the heap, takes the baseline, then reads the whole table
/// once while a sampler notes the largest working set and GC heap. On Linux the kernel's own peak (VmHWM) is reset
/// at the baseline (<c>/proc/self/clear_refs</c>), so the peak working set is exact rather than sampled. Prints one
/// <see cref="ReadMeasurement"/> as JSON.
/// </summary>
internal static class ReadMemoryProbe
{
    public const string Verb = "read-memory-probe";
    public const string Streamed = "streamed";
    public const string Buffered = "buffered";

    /// <summary>The first <paramref name="rows"/> rows of the table, in order.</summary>
    public static string QueryOf(long rows) => string.Create(CultureInfo.InvariantCulture, $"SELECT id, series_id, ts, value, label FROM readings ORDER BY id LIMIT {rows}");

    public static async Task<int> RunAsync(string[] args)
    {
        var (url, path, expected) = (args[0], args[1], long.Parse(args[2], CultureInfo.InvariantCulture));
        var behavior = path == Buffered ? CommandBehavior.SingleRow : CommandBehavior.Default;
        using var dataSource = LibSqlDataSource.Create(url);
        await ReadAsync(dataSource, QueryOf(2000), behavior);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        var peakFromKernel = TryResetKernelPeak();

        using var sampler = new PeakSampler();
        var watch = Stopwatch.StartNew();
        var rows = await ReadAsync(dataSource, QueryOf(expected), behavior);
        var seconds = watch.Elapsed.TotalSeconds;
        sampler.Stop();
        if (rows != expected)
        {
            throw new InvalidOperationException($"read {rows} rows, expected {expected}");
        }

        process.Refresh();
        var workingSetPeak = Math.Max(sampler.WorkingSet, peakFromKernel ? process.PeakWorkingSet64 : 0);
        var measurement = new ReadMeasurement(path, rows, seconds, workingSetBefore, workingSetPeak, heapBefore, sampler.Heap, peakFromKernel);
        Console.WriteLine(JsonSerializer.Serialize(measurement));
        return 0;
    }

    /// <summary>Reads every row and touches every value, as an application would.</summary>
    private static async Task<long> ReadAsync(LibSqlDataSource dataSource, string sql, CommandBehavior behavior)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new LibSqlCommand(sql, connection) { CommandTimeout = 300 };
        await using var reader = await command.ExecuteReaderAsync(behavior);
        long rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            _ = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetString(4));
        }

        return rows;
    }

    /// <summary>Linux: "5" in /proc/self/clear_refs resets the peak resident set size (VmHWM) to the current one.</summary>
    private static bool TryResetKernelPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Samples the working set and the GC heap every few milliseconds on a thread of its own.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;

        public PeakSampler()
        {
            _thread = new Thread(Sample) { IsBackground = true, Name = "peak sampler" };
            _thread.Start();
        }

        public long WorkingSet { get; private set; }

        public long Heap { get; private set; }

        public void Stop()
        {
            _stop = true;
            _thread.Join();
        }

        public void Dispose() => Stop();

        private void Sample()
        {
            while (!_stop)
            {
                WorkingSet = Math.Max(WorkingSet, Environment.WorkingSet);
                Heap = Math.Max(Heap, GC.GetTotalMemory(forceFullCollection: false));
                Thread.Sleep(2);
            }
        }
    }
}
