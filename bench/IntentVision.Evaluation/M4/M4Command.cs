using System.CommandLine;
using System.Globalization;
using IntentVision.Analytics.Forecasting;

namespace IntentVision.Evaluation.M4;

/// <summary>
/// <c>m4 --frequency hourly|daily|weekly|monthly|quarterly|yearly (--data DIR | --train --test) [--method ...]</c>:
/// forecasts every series of one M4 frequency at M4's horizon and prints sMAPE, MASE, OWA and interval coverage per
/// method beside that frequency's published rows. <c>--holdout</c> and <c>--proxy</c> score on training tails instead.
/// </summary>
public static class M4Command
{
    /// <summary>M4's benchmarks, then every candidate auto weighs at this frequency (some apply only to seasonal series), then auto.</summary>
    private static IReadOnlyList<string> DefaultMethods(M4Frequency frequency) =>
        ["naive2", "snaive", "ses", "holt", "damped", "theta", "comb", .. AutoCandidates.MethodNames(frequency.SeasonalLag).Where(m => m is not ("naive2" or "snaive" or "ses" or "holt" or "damped" or "theta")), "auto"];

    /// <summary>Our method names and the published rows they reproduce.</summary>
    private static readonly Dictionary<string, string> PublishedNames = new(StringComparer.Ordinal)
    {
        ["naive"] = "Naive", ["naive2"] = "Naive2", ["snaive"] = "sNaive", ["ses"] = "SES", ["holt"] = "Holt",
        ["damped"] = "Damped", ["theta"] = "Theta", ["comb"] = "Com",
    };

    public static Command Create()
    {
        var frequency = new Option<string?>("--frequency")
        {
            Description = "hourly, daily, weekly, monthly, quarterly or yearly: M4's horizon (48, 14, 13, 18, 8, 6) and MASE lag (24, 1, 1, 12, 4, 1). Default: read from the training file's name",
        };
        frequency.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string?>();
            if (text is not null && !M4Frequency.TryParse(text, out _))
            {
                result.AddError(M4Frequency.UnknownMessage(text));
            }
        });
        var data = new Option<string?>("--data") { Description = "folder holding <Frequency>-train.csv, <Frequency>-test.csv and the published results" };
        var train = new Option<string?>("--train") { Description = "training file, or a folder or another frequency's file beside which <Frequency>-train.csv lies" };
        var test = new Option<string?>("--test") { Description = "test file (default: <Frequency>-test.csv beside the training file)" };
        var methods = new Option<string[]>("--method") { Description = $"methods to run (default: M4's benchmarks, every candidate of auto, and auto: {string.Join(' ', DefaultMethods(M4Frequency.Monthly))})", AllowMultipleArgumentsPerToken = true };
        methods.Validators.Add(result =>
        {
            foreach (var m in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!SeriesForecaster.Methods.Contains(m, StringComparer.OrdinalIgnoreCase))
                {
                    result.AddError($"unknown method '{m}'; known: {string.Join(", ", SeriesForecaster.Methods)}.");
                }
            }
        });
        var published = new Option<string?>("--published") { Description = $"{M4Files.PublishedFileName} (default: beside the training file)" };
        var holdout = new Option<bool>("--holdout") { Description = "score on the last horizon of each training series instead of the test file (for development: the test file is not read)" };
        var proxy = new Option<bool>("--proxy") { Description = "PROXY series of the frequency's shape built from M4 Hourly training series (--train must be Hourly-train.csv; see README): never M4 scores" };
        var limit = new Option<int?>("--limit") { Description = "only the first N series (quick runs; not comparable with the published rows)" };
        var threads = new Option<int>("--threads") { Description = "parallel series", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("m4", "Forecast one M4 frequency at its horizon and score sMAPE, MASE, OWA and interval coverage beside the published results.")
        {
            frequency, data, train, test, methods, published, holdout, proxy, limit, threads,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var isProxy = parse.GetValue(proxy);
            var isHoldout = parse.GetValue(holdout) || isProxy;
            M4Files files;
            M4Frequency target;
            try
            {
                // A proxy run reads M4 Hourly and reshapes it; every other run reads the frequency's own files.
                var asked = parse.GetValue(frequency);
                files = M4Files.Resolve(isProxy ? M4Frequency.Hourly.Key : asked, parse.GetValue(data), parse.GetValue(train), parse.GetValue(test), parse.GetValue(published), !isHoldout);
                target = isProxy
                    ? M4Frequency.TryParse(asked, out var f) ? f : throw new ArgumentException("--proxy needs --frequency: the frequency whose shape the proxy series take.")
                    : files.Frequency;
            }
            catch (ArgumentException e)
            {
                parse.InvocationConfiguration.Error.WriteLine(e.Message);
                return 1;
            }

            var methodList = parse.GetValue(methods) is { Length: > 0 } m ? m.Select(x => x.ToLowerInvariant()).ToArray() : DefaultMethods(target);
            var run = new M4Run(files, target, isHoldout, isProxy, parse.GetValue(limit), parse.GetValue(threads));
            try
            {
                return Run(run, methodList, output);
            }
            catch (InvalidDataException e)
            {
                parse.InvocationConfiguration.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }

    private static int Run(M4Run run, IReadOnlyList<string> methods, TextWriter output)
    {
        var frequency = run.Frequency;
        IReadOnlyList<M4Series> series;
        string title;
        if (run.Proxy)
        {
            series = M4Holdout.HourlyProxy(M4Dataset.LoadTrain(run.Files.Train), frequency);
            title = $"PROXY {frequency.Name}-shaped series (NOT M4 scores): means of {M4Holdout.ProxyBlockHours(frequency)}-hour blocks of the M4 Hourly training series, last {frequency.Horizon} points held out";
        }
        else if (run.Holdout)
        {
            series = M4Holdout.TrainTail(M4Dataset.LoadTrain(run.Files.Train), frequency.Horizon);
            title = $"M4 {frequency.Name} training tails (development holdout, the test file is not read): last {frequency.Horizon} points of each training series held out";
        }
        else
        {
            series = M4Dataset.Load(run.Files.Train, run.Files.Test!, frequency.Horizon);
            title = $"M4 {frequency.Name}";
        }

        if (run.Limit is { } n && n < series.Count)
        {
            series = series.Take(n).ToList();
            title += $", first {n} series only";
        }

        output.WriteLine($"{title}: {series.Count} series, horizon {frequency.Horizon}, MASE lag {frequency.SeasonalLag}, {run.Threads} threads");
        var evaluator = new M4Evaluator(frequency);
        var methodList = methods.Contains("naive2") ? methods : ["naive2", .. methods];
        var scores = methodList.Select(method => evaluator.Evaluate(series, method, run.Threads)).ToList();
        var publishedRows = !run.Holdout && File.Exists(run.Files.Published) ? PublishedM4Results.Load(run.Files.Published, frequency) : [];
        new M4Table(scores, publishedRows, PublishedNames).Write(output, frequency);
        return 0;
    }

    private sealed record M4Run(M4Files Files, M4Frequency Frequency, bool Holdout, bool Proxy, int? Limit, int Threads);
}
