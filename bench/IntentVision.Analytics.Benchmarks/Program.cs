using BenchmarkDotNet.Running;

if (args is ["quick", ..])
{
    // Rough timings without BenchmarkDotNet: `quick` times each benchmark over a few repetitions.
    var b = new IntentVision.Analytics.Benchmarks.AnalyticsBenchmarks();
    b.Setup();
    var only = args.Length > 1 ? args[1..] : null;
    foreach (var (name, run) in new (string, Action)[] { ("snaive", () => b.SeasonalNaiveForecast()), ("auto", () => b.AutoForecast()), ("mstl-ets", () => b.MstlEtsForecast()), ("score", () => b.ScoreTenThousandPoints()), ("ensemble", () => b.ScoreTenThousandPointsEnsemble()) })
    {
        if (only is not null && !only.Contains(name))
        {
            continue;
        }

        run();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reps = 5;
        for (var i = 0; i < reps; i++)
        {
            run();
        }

        Console.WriteLine($"{name,-10} {watch.Elapsed.TotalMilliseconds / reps,8:0.0} ms");
    }

    return;
}


BenchmarkSwitcher.FromAssembly(typeof(IntentVision.Analytics.Benchmarks.AnalyticsBenchmarks).Assembly).Run(args);
