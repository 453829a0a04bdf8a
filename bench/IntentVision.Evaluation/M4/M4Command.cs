using System.CommandLine;
using System.Globalization;
using IntentVision.Analytics.Forecasting;

namespace IntentVision.Evaluation.M4;

/// <summary><c>m4 --train --test [--method ...] [--published ...]</c>.</summary>
public static class M4Command
{
    private static readonly string[] DefaultMethods = ["naive2", "snaive", "ses", "holt", "damped", "theta", "mstl-ets", "mstl-theta", "auto"];

    public static Command Create()
    {
        var train = new Option<FileInfo>("--train") { Description = "Hourly-train.csv", Required = true };
        var test = new Option<FileInfo>("--test") { Description = "Hourly-test.csv", Required = true };
        var methods = new Option<string[]>("--method") { Description = $"methods to run (default: {string.Join(' ', DefaultMethods)})", AllowMultipleArgumentsPerToken = true };
        var published = new Option<FileInfo?>("--published") { Description = "published_point_forecasts_by_frequency.tsv (default: beside --train)" };
        var threads = new Option<int>("--threads") { Description = "parallel series", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("m4", "Forecast M4 Hourly 48 steps ahead and score sMAPE, MASE, OWA and interval coverage.") { train, test, methods, published, threads };
        command.SetAction(parse =>
        {
            var trainFile = parse.GetValue(train)!;
            var testFile = parse.GetValue(test)!;
            var methodList = parse.GetValue(methods) is { Length: > 0 } m ? m : DefaultMethods;
            var publishedFile = parse.GetValue(published) ?? new FileInfo(Path.Combine(trainFile.DirectoryName ?? ".", "published_point_forecasts_by_frequency.tsv"));
            return Run(trainFile.FullName, testFile.FullName, methodList, publishedFile, parse.GetValue(threads));
        });
        return command;
    }

    private static int Run(string trainPath, string testPath, IReadOnlyList<string> methods, FileInfo publishedFile, int threads)
    {
        var series = M4Dataset.Load(trainPath, testPath);
        Console.WriteLine($"M4 Hourly: {series.Count} series, horizon {M4Evaluator.Horizon}, {threads} threads");
        var evaluator = new M4Evaluator(new SeriesForecaster());
        var methodList = methods.Contains("naive2") ? methods : ["naive2", .. methods];
        var scores = new List<M4MethodScore>();
        foreach (var method in methodList)
        {
            scores.Add(evaluator.Evaluate(series, method, threads));
        }

        var naive2 = scores.First(s => s.Method == "naive2");
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("Ours (OWA against our own Naive2)");
        Console.WriteLine($"{"method",-14} {"sMAPE",8} {"MASE",7} {"OWA",7} {"cov80",7} {"cov95",7} {"seconds",8}");
        foreach (var s in scores)
        {
            var owa = ((s.Smape / naive2.Smape) + (s.Mase / naive2.Mase)) / 2;
            Console.WriteLine(string.Format(inv, "{0,-14} {1,8:0.000} {2,7:0.000} {3,7:0.000} {4,7:0.0%} {5,7:0.0%} {6,8:0.0}", s.Method, s.Smape, s.Mase, owa, s.Coverage80, s.Coverage95, s.Elapsed.TotalSeconds));
            if (s.Method == "auto")
            {
                Console.WriteLine("  auto chose: " + string.Join(", ", s.ChosenMethods.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
            }
        }

        if (publishedFile.Exists)
        {
            var rows = PublishedM4Results.LoadHourly(publishedFile.FullName);
            var named = new[] { "Naive2", "sNaive", "Naive", "SES", "Holt", "Damped", "Theta", "Com", "MLP", "RNN" };
            Console.WriteLine();
            Console.WriteLine("Published M4 Hourly (benchmarks, then the three best submissions by Hourly OWA)");
            Console.WriteLine($"{"method",-14} {"sMAPE",8} {"MASE",7} {"OWA",7}");
            var shown = rows.Where(r => named.Contains(r.Method)).Concat(rows.Where(r => !named.Contains(r.Method)).OrderBy(r => r.Owa).Take(3));
            foreach (var r in shown)
            {
                Console.WriteLine(string.Format(inv, "{0,-14} {1,8:0.000} {2,7:0.000} {3,7:0.000}", r.Method, r.Smape, r.Mase, r.Owa));
            }
        }

        return 0;
    }
}
