using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Series;

namespace IntentVision.Evaluation.Nab;

/// <summary><c>nab --data --labels --out [--detector ...]</c>: runs detectors over a NAB corpus, writes result files, scores them.</summary>
public static class NabCommand
{
    private static readonly (string Name, double Score)[] Scoreboard =
    [
        ("Numenta HTM", 70.5), ("CAD OSE", 69.9), ("earthgecko Skyline", 58.2), ("KNN CAD", 58.0), ("Relative Entropy", 54.6),
        ("Random Cut Forest", 51.7), ("Twitter ADVec", 47.1), ("Windowed Gaussian", 39.6), ("Etsy Skyline", 35.7),
        ("Bayesian Changepoint", 17.7), ("random", 11.0), ("null", 0),
    ];

    private static readonly Dictionary<string, AnomalyDetectorOptions> Detectors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["intentvision"] = AnomalyDetectorOptions.Default,
        ["ensemble"] = AnomalyDetectorOptions.Default with { Kind = AnomalyDetectorKind.Ensemble },
        ["madResidual"] = AnomalyDetectorOptions.Default with { Kind = AnomalyDetectorKind.ForecastResidualMad },
        ["seasonalMad"] = AnomalyDetectorOptions.Default with { Kind = AnomalyDetectorKind.SeasonalMad },
        ["seasonalHybridEsd"] = AnomalyDetectorOptions.Default with { Kind = AnomalyDetectorKind.SeasonalHybridEsd },
        // The ensemble's raw scores through the anomaly-likelihood layer (Numenta-style), for comparison.
        ["intentvisionLikelihood"] = AnomalyDetectorOptions.Default with { Kind = AnomalyDetectorKind.Ensemble, Likelihood = true },
        ["hybrid"] = AnomalyDetectorOptions.Default with { Kind = AnomalyDetectorKind.Hybrid },
        ["custom"] = Custom(),
    };

    /// <summary>Options from <c>NAB_OPTIONS="Name=value;Name=value"</c> over the defaults, for measuring variants.</summary>
    private static AnomalyDetectorOptions Custom()
    {
        var options = AnomalyDetectorOptions.Default with { };
        foreach (var part in (Environment.GetEnvironmentVariable("NAB_OPTIONS") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, text) = (part.Split('=')[0].Trim(), part.Split('=')[1].Trim());
            var property = typeof(AnomalyDetectorOptions).GetProperty(name) ?? throw new ArgumentException($"unknown option {name}");
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = type.IsEnum ? Enum.Parse(type, text) : type == typeof(TimeSpan) ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
            property.SetValue(options, value);
        }

        return options;
    }

    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "NAB data directory (folders of timestamp,value CSVs)", Required = true };
        var labels = new Option<FileInfo>("--labels") { Description = "combined_windows.json", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "results directory", Required = true };
        var detectors = new Option<string[]>("--detector") { Description = $"detectors to run (default intentvision; known: {string.Join(", ", Detectors.Keys)}, {SpatialOnly})", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "parallel files", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("nab", "Score every CSV under a NAB-format corpus and report the NAB standard, reward_low_FP_rate and reward_low_FN_rate scores.") { data, labels, output, detectors, threads };
        command.SetAction(parse => Run(
            parse.GetValue(data)!.FullName,
            parse.GetValue(labels)!.FullName,
            parse.GetValue(output)!.FullName,
            parse.GetValue(detectors) is { Length: > 0 } d ? d : ["intentvision"],
            parse.GetValue(threads)));
        return command;
    }

    /// <summary>Runs one detector over a series the way NAB feeds it: every row in order, scored causally.</summary>
    public static double[] ScoreSeries(IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values, AnomalyDetectorKind kind)
    {
        return ScoreSeries(timestamps, values, AnomalyDetectorOptions.Default with { Kind = kind });
    }

    /// <summary>Baseline for reading the contextual detector's numbers: its spatial override alone.</summary>
    private const string SpatialOnly = "spatialOnly";

    /// <summary>1 where a value lies beyond the range seen so far by the spatial margin (after the warm-up), else 0.</summary>
    public static double[] ScoreSpatialOnly(IReadOnlyList<double> values, AnomalyDetectorOptions options)
    {
        var scores = new double[values.Count];
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        for (var i = 0; i < values.Count; i++)
        {
            var range = high - low;
            var margin = options.SpatialMargin * range;
            scores[i] = i >= options.WarmUp && range > 0 && (values[i] > high + margin || values[i] < low - margin) ? 1 : 0;
            low = Math.Min(low, values[i]);
            high = Math.Max(high, values[i]);
        }

        return scores;
    }

    /// <summary>Runs a detector with the given options over a series, every row in order, scored causally.</summary>
    public static double[] ScoreSeries(IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values, AnomalyDetectorOptions options)
    {
        var detector = new StreamingAnomalyDetector(options);
        var scores = new double[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            scores[i] = detector.Add(new TimedValue(new DateTimeOffset(timestamps[i], TimeSpan.Zero), values[i])).Score;
        }

        return scores;
    }

    private static int Run(string dataDirectory, string labelsPath, string outputDirectory, IReadOnlyList<string> detectorNames, int threads)
    {
        var labels = NabDataset.ReadLabels(labelsPath);
        var files = NabDataset.FindFiles(dataDirectory);
        var windows = files.Sum(f => labels.TryGetValue(f.Key, out var w) ? w.Count : 0);
        Console.WriteLine($"NAB: {files.Count} files, {windows} labelled windows, {threads} threads");
        foreach (var (key, _) in files.Where(f => !labels.ContainsKey(f.Key)))
        {
            Console.WriteLine($"  warning: {key} has no labels entry; scored as a file without anomalies");
        }

        var series = files.Select(f => NabDataset.ReadSeries(f.Path)).ToArray();
        var inv = CultureInfo.InvariantCulture;
        foreach (var name in detectorNames)
        {
            if (!Detectors.TryGetValue(name, out var options) && !name.Equals(SpatialOnly, StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"unknown detector '{name}'; known: {string.Join(", ", Detectors.Keys)}");
                return 2;
            }

            var watch = Stopwatch.StartNew();
            var scored = new NabFile[files.Count];
            Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            {
                var (timestamps, values) = series[i];
                var scores = options is null ? ScoreSpatialOnly(values, AnomalyDetectorOptions.Default) : ScoreSeries(timestamps, values, options);
                var key = files[i].Key;
                scored[i] = new NabFile(key, timestamps, scores, labels.TryGetValue(key, out var w) ? w : []);
                WriteResult(outputDirectory, key, name, timestamps, values, scores);
            });
            watch.Stop();
            var rows = series.Sum(s => s.Values.Length);
            Console.WriteLine();
            Console.WriteLine($"detector {name}: {rows} rows scored in {watch.Elapsed.TotalSeconds:0.0} s (including writing results)");
            Console.WriteLine($"{"profile",-20} {"score",7} {"threshold",10} {"TP",4} {"FP",5} {"FN",4}");
            foreach (var profile in NabProfile.All)
            {
                var score = NabScorer.Score(scored, profile);
                Console.WriteLine(string.Format(inv, "{0,-20} {1,7:0.0} {2,10:0.0000} {3,4} {4,5} {5,4}", profile.Name, score.NormalisedScore, score.Threshold, score.TruePositives, score.FalsePositives, score.FalseNegatives));
            }

            if (Environment.GetEnvironmentVariable("NAB_PER_FILE") == "1")
            {
                var standard = NabScorer.Score(scored, NabProfile.Standard);
                foreach (var file in scored)
                {
                    var (raw, tp, fp, fn) = NabScorer.ScoreFile(file, NabProfile.Standard, standard.Threshold);
                    Console.WriteLine(string.Format(inv, "  {0,-60} raw {1,7:0.00} TP {2} FP {3} FN {4}", file.Name, raw, tp, fp, fn));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("Published NAB scoreboard, standard profile, full 58-file corpus:");
        foreach (var (name, score) in Scoreboard)
        {
            Console.WriteLine(string.Format(inv, "  {0,-22} {1,5:0.0}", name, score));
        }

        return 0;
    }

    private static void WriteResult(string outputDirectory, string key, string detector, DateTime[] timestamps, double[] values, double[] scores)
    {
        var folder = Path.GetDirectoryName(key) ?? string.Empty;
        var directory = Path.Combine(outputDirectory, folder);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{detector}_{Path.GetFileName(key)}");
        var text = new StringBuilder("timestamp,value,anomaly_score\n");
        for (var i = 0; i < scores.Length; i++)
        {
            text.Append(timestamps[i].ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(',')
                .Append(values[i].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(scores[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }
}
