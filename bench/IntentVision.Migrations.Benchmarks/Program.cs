using System.Diagnostics;
using System.Globalization;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;
using IntentVision.TestSupport;

// Applying every migration to a fresh database, and `status` on an up-to-date one (it runs at every AppHost start),
// on a file and on a real sqld. Each measurement on fresh databases, repeated; prints min / median / max in ms.
// `dotnet run -c Release --project bench/IntentVision.Migrations.Benchmarks [-- iterations]`
// `... -- narrow [points]`: 006_narrow_points and its rollback on millions of points (NarrowPointsRewrite).
// `... -- dump-memory [--rows N]`: the migrator's peak memory while it dumps millions of points (see DumpMemoryBenchmark).

if (args is ["narrow", ..])
{
    await NarrowPointsRewrite.RunAsync(args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 5_000_000);
    return 0;
}

if (args.FirstOrDefault() == DumpMemoryBenchmark.Verb)
{
    return await DumpMemoryBenchmark.RunAsync(args[1..]);
}

var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var catalog = MigrationCatalog.FromEmbeddedResources();
Console.WriteLine($"{catalog.Migrations.Count} migrations from {catalog.Source}, {iterations} iterations each");

var fileApply = new List<double>();
var fileStatus = new List<double>();
var sqldApply = new List<double>();
var sqldStatus = new List<double>();

// Warm-up: JIT and the HTTP pool, not measured.
await MeasureFileAsync(new List<double>(), new List<double>());
await using (var warm = await SqldServer.StartAsync())
{
    await MeasureAsync(warm.CreateDataSource(), new List<double>(), new List<double>());
}

for (var i = 0; i < iterations; i++)
{
    await MeasureFileAsync(fileApply, fileStatus);
    await using var server = await SqldServer.StartAsync();
    await MeasureAsync(server.CreateDataSource(), sqldApply, sqldStatus);
}

Console.WriteLine($"{"measurement",-40} {"min",9} {"median",9} {"max",9}");
Print("apply all, fresh file:", fileApply);
Print("apply all, fresh sqld:", sqldApply);
Print("status, up-to-date file:", fileStatus);
Print("status, up-to-date sqld:", sqldStatus);
return 0;

async Task MeasureFileAsync(List<double> apply, List<double> status)
{
    var folder = Directory.CreateTempSubdirectory("intentvision-bench-");
    try
    {
        using var dataSource = LibSqlDataSource.Create("file:" + Path.Combine(folder.FullName, "bench.db"));
        await MeasureAsync(dataSource, apply, status);
    }
    finally
    {
        // Disposing the data source (in MeasureAsync) closed the file's pooled handles.
        folder.Delete(recursive: true);
    }
}

async Task MeasureAsync(LibSqlDataSource dataSource, List<double> apply, List<double> status)
{
    using (dataSource)
    {
        var runner = new MigrationRunner(dataSource, catalog, TimeProvider.System);
        var watch = Stopwatch.StartNew();
        var result = await runner.RunAsync();
        apply.Add(watch.Elapsed.TotalMilliseconds);
        if (result.AppliedCount != catalog.Migrations.Count)
        {
            throw new InvalidOperationException($"applied {result.AppliedCount} of {catalog.Migrations.Count}");
        }

        for (var i = 0; i < 5; i++)
        {
            watch.Restart();
            var current = await runner.GetStatusAsync();
            status.Add(watch.Elapsed.TotalMilliseconds);
            if (!current.IsCurrent)
            {
                throw new InvalidOperationException("not current after a run");
            }
        }
    }
}

static void Print(string name, List<double> values)
{
    values.Sort();
    Console.WriteLine($"{name,-40} {values[0],9:0.00} {values[values.Count / 2],9:0.00} {values[^1],9:0.00}");
}
