using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using IntentVision.Analytics.AnomalyDetection;

namespace IntentVision.Evaluation.Nab;

/// <summary>
/// <c>nab --data --labels --out [--detector ...] [--raw] [--through-api [--api-url --api-key]] [--lofo]</c>: streams every
/// file of a NAB-format corpus through anomaly detection the way the product runs it, writes NAB result files and
/// scores them with NAB's rules.
/// </summary>
public static class NabCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "NAB data directory (folders of timestamp,value CSVs)", Required = true };
        var labels = new Option<FileInfo>("--labels") { Description = "combined_windows.json", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "results directory", Required = true };
        var detectors = new Option<string[]>("--detector") { Description = $"settings to run in the harness (default {NabVariants.Default}; known: {string.Join(", ", NabVariants.All.Keys)})", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "parallel files", DefaultValueFactory = _ => Environment.ProcessorCount };
        var raw = new Option<bool>("--raw") { Description = "also score the detector's score of every row (what it saw, not what it stores)" };
        var throughApi = new Option<bool>("--through-api") { Description = "also stream every file through the API (in process on loopback unless --api-url) and score the anomalies it returns" };
        var apiUrl = new Option<Uri?>("--api-url")
        {
            Description = "a running API to stream through instead of one in process (http or https, e.g. http://127.0.0.1:5180)",
            CustomParser = ParseApiUrl,
        };
        var apiKey = new Option<string?>("--api-key") { Description = "with --api-url: an admin key (an organization is created) or a key with ingest:write and metrics:read" };
        var lofo = new Option<bool>("--lofo") { Description = "leave-one-folder-out: choose settings from a small grid on the other folders, score each folder held out" };
        var lofoGrid = new Option<string>("--lofo-grid") { Description = $"the settings --lofo chooses among, as Name=a,b;Name+Other=c,d (default {LeaveOneFolderOut.DefaultGrid})", DefaultValueFactory = _ => LeaveOneFolderOut.DefaultGrid };
        var perFile = new Option<bool>("--per-file") { Description = "print each file's raw standard score at the chosen threshold" };
        var proxy = new Option<NabProxyKind?>("--proxy") { Description = "score a PROXY built from the files instead (counts: bursty seasonal counts; seasonal: daily and weekly pattern added; mixed: the originals and both); never a NAB score" };
        var command = new Command("nab", "Score a NAB-format corpus through the product's detection path and report the NAB standard, reward_low_FP_rate and reward_low_FN_rate scores.")
        {
            data, labels, output, detectors, threads, raw, throughApi, apiUrl, apiKey, lofo, lofoGrid, perFile, proxy,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new NabOptions(
                parse.GetValue(data)!.FullName,
                parse.GetValue(labels)!.FullName,
                parse.GetValue(output)!.FullName,
                parse.GetValue(detectors) is { Length: > 0 } d ? d : [NabVariants.Default],
                Math.Max(1, parse.GetValue(threads)),
                parse.GetValue(raw),
                parse.GetValue(throughApi) || parse.GetValue(apiUrl) is not null,
                parse.GetValue(apiUrl),
                parse.GetValue(apiKey),
                parse.GetValue(lofo),
                parse.GetValue(lofoGrid)!,
                parse.GetValue(perFile),
                parse.GetValue(proxy)),
            cancellationToken));
        return command;
    }

    private sealed record NabOptions(string Data, string Labels, string Output, IReadOnlyList<string> Detectors, int Threads, bool Raw, bool ThroughApi, Uri? ApiUrl, string? ApiKey, bool Lofo, string LofoGrid, bool PerFile, NabProxyKind? Proxy);

    private static async Task<int> RunAsync(NabOptions options, CancellationToken cancellationToken)
    {
        var unknown = options.Detectors.Where(d => !NabVariants.All.ContainsKey(d)).ToArray();
        if (unknown.Length > 0)
        {
            Console.Error.WriteLine($"unknown detector '{unknown[0]}'; known: {string.Join(", ", NabVariants.All.Keys)}");
            return 2;
        }

        var labels = NabDataset.ReadLabels(options.Labels);
        var corpus = NabProxy.Build(NabDataset.ReadCorpus(options.Data), options.Proxy);
        IReadOnlyList<NabWindow> WindowsOf(string key) => labels.TryGetValue(NabProxy.SourceKey(key), out var w) ? w : [];
        var windows = corpus.Sum(f => WindowsOf(f.Key).Count);
        if (options.Proxy is { } proxyKind)
        {
            Console.WriteLine($"PROXY '{proxyKind}' (built from the files by NabProxy; not a NAB score)");
        }

        Console.WriteLine($"NAB: {corpus.Count} files, {corpus.Sum(s => s.Values.Length)} rows, {windows} labelled windows, {options.Threads} threads; streamed in batches of {NabBatches.Smallest}-{NabBatches.Largest} rows");
        foreach (var series in corpus.Where(f => !labels.ContainsKey(NabProxy.SourceKey(f.Key))))
        {
            Console.WriteLine($"  warning: {series.Key} has no labels entry; scored as a file without anomalies");
        }

        var runs = new List<NabReport.Run>();
        foreach (var name in options.Detectors)
        {
            var settings = NabVariants.All[name];
            var watch = Stopwatch.StartNew();
            var stored = new NabFile[corpus.Count];
            var seen = new NabFile[corpus.Count];
            var evidence = new AnomalyEvidence[corpus.Count][];
            Parallel.For(0, corpus.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken }, i =>
            {
                var series = corpus[i];
                var scores = MonitorScoring.Score(series, settings);
                stored[i] = new NabFile(series.Key, series.Timestamps, scores.Stored, WindowsOf(series.Key));
                seen[i] = new NabFile(series.Key, series.Timestamps, scores.Detector, WindowsOf(series.Key));
                evidence[i] = scores.Evidence;
                WriteResult(options.Output, series, name, scores.Stored);
            });
            Console.WriteLine();
            Console.WriteLine($"{name}: {corpus.Sum(s => s.Values.Length)} rows in {watch.Elapsed.TotalSeconds:0.0} s");
            var run = new NabReport.Run($"{name} harness", stored);
            runs.Add(run);
            NabReport.Profiles(run);
            NabReport.Evidence(run, evidence);
            if (options.Raw)
            {
                var detector = new NabReport.Run($"{name} every row", seen);
                runs.Add(detector);
                NabReport.Profiles(detector);
            }

            if (options.PerFile)
            {
                NabReport.PerFile(run);
            }
        }

        if (options.ThroughApi)
        {
            var watch = Stopwatch.StartNew();
            var scored = await NabThroughApi.ScoreAsync(corpus, options.ApiUrl, options.ApiKey, cancellationToken);
            var files = corpus.Select((s, i) => new NabFile(s.Key, s.Timestamps, scored[i], WindowsOf(s.Key))).ToArray();
            for (var i = 0; i < corpus.Count; i++)
            {
                WriteResult(options.Output, corpus[i], "api", scored[i]);
            }

            Console.WriteLine();
            Console.WriteLine($"through the API ({(options.ApiUrl is null ? "in process, Kestrel on loopback, temporary file database" : options.ApiUrl)}): {corpus.Sum(s => s.Values.Length)} rows in {watch.Elapsed.TotalSeconds:0.0} s");
            var run = new NabReport.Run("end to end (API)", files);
            runs.Add(run);
            NabReport.Profiles(run);
            if (options.PerFile)
            {
                NabReport.PerFile(run);
            }
        }

        Console.WriteLine();
        Console.WriteLine("Per folder at each run's corpus-wide threshold (standard / reward_low_FP / reward_low_FN):");
        NabReport.Folders(runs);
        if (options.Lofo)
        {
            Console.WriteLine();
            LeaveOneFolderOut.Run(corpus, WindowsOf, options.Threads, options.LofoGrid);
        }

        NabReport.PublishedScoreboard();
        return 0;
    }

    private static void WriteResult(string outputDirectory, NabSeries series, string detector, double[] scores)
    {
        var folder = Path.GetDirectoryName(series.Key) ?? string.Empty;
        var directory = Path.Combine(outputDirectory, folder);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{detector}_{Path.GetFileName(series.Key)}");
        var text = new StringBuilder("timestamp,value,anomaly_score\n");
        for (var i = 0; i < scores.Length; i++)
        {
            text.Append(series.Timestamps[i].ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(',')
                .Append(series.Values[i].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(scores[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>The API's base address: an absolute http or https URL, else an error that names the option and what it got.</summary>
    private static Uri? ParseApiUrl(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return url;
        }

        result.AddError($"--api-url must be an absolute http or https URL such as http://127.0.0.1:5180; got '{text}'.");
        return null;
    }
}
