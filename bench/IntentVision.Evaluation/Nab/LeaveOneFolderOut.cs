using System.Globalization;
using IntentVision.Analytics.AnomalyDetection;

namespace IntentVision.Evaluation.Nab;

/// <summary>
/// The generalisation protocol. For each folder, the settings are chosen from a small grid by the standard score on
/// the other folders alone (threshold swept there too), and the folder is then scored with those settings and those
/// thresholds. Nothing is tuned on the folder being scored. On a corpus with proxies (<c>--proxy mixed</c>) a folder
/// is held out with its proxies, and the choice is made on the other folders' files and their proxies.
/// </summary>
/// <remarks>
/// The choice rule: the highest training standard score, rounded to 0.1 point
/// (differences below that are noise on 40 files); among equals, the setting whose worst training folder scores best
/// (the robust choice); then the first in grid order.
/// </remarks>
public static class LeaveOneFolderOut
{
    /// <summary>
    /// The grid searched by default (27 settings): context bits, the contextual rest period and the monitor's incident
    /// length, each around the CAD OSE defaults. The rest period is the detector's (how long a raw score must be beaten
    /// before it is reported again); the incident is the monitor's (how long a stored anomaly's pattern is not stored
    /// again): separate axes, since they act at separate stages.
    /// </summary>
    public const string DefaultGrid = "ContextBits=3,4,5;ContextRestPeriod=50,100,150;IncidentLength=50,100,150";

    /// <summary>
    /// Every combination of a grid written as <c>Name=a,b;Name+Other=c,d</c> (names as in <see cref="NabVariants.Custom"/>;
    /// <c>A+B</c> sets both to the same value), applied to the default settings, in grid order (the last name varies fastest).
    /// </summary>
    public static IReadOnlyList<(string Name, MonitorSettings Settings)> Grid(string specification)
    {
        var axes = specification.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(axis => axis.Split('=', 2))
            .Select(parts => parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0
                ? (Names: parts[0].Split('+', StringSplitOptions.TrimEntries), Values: parts[1].Split(',', StringSplitOptions.TrimEntries))
                : throw new ArgumentException($"grid axis '{string.Join('=', parts)}' is not Name=a,b", nameof(specification)))
            .ToArray();
        if (axes.Length == 0)
        {
            throw new ArgumentException("the grid has no axis", nameof(specification));
        }

        IEnumerable<IReadOnlyList<(string[] Names, string Value)>> combinations = [[]];
        foreach (var axis in axes)
        {
            combinations = combinations.SelectMany(c => axis.Values.Select(v => (IReadOnlyList<(string[], string)>)[.. c, (axis.Names, v)]));
        }

        return combinations.Select(c => (
            string.Join(", ", c.Select(a => $"{a.Names[0]} {a.Value}")),
            NabVariants.Custom(string.Join(';', c.SelectMany(a => a.Names.Select(n => $"{n}={a.Value}"))))))
            .ToArray();
    }

    public static void Run(IReadOnlyList<NabSeries> corpus, Func<string, IReadOnlyList<NabWindow>> windows, int threads, string gridSpecification)
    {
        var grid = Grid(gridSpecification);
        var folders = corpus.Select(s => s.Folder).Distinct().Order(StringComparer.Ordinal).ToArray();
        var hasProxies = corpus.Any(s => IsProxy(s.Key));
        Console.WriteLine($"Leave-one-folder-out over {grid.Count} settings ({gridSpecification}) x {corpus.Count} files ({folders.Length} folders{(hasProxies ? ", each with its PROXY files" : string.Empty)}):");

        // Every setting on every file once; the folds only choose among the results.
        var scored = new NabFile[grid.Count][];
        for (var g = 0; g < grid.Count; g++)
        {
            var settings = grid[g].Settings;
            var files = new NabFile[corpus.Count];
            Parallel.For(0, corpus.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            {
                var series = corpus[i];
                files[i] = new NabFile(series.Key, series.Timestamps, MonitorScoring.Score(series, settings).Stored, windows(series.Key));
            });
            scored[g] = files;
        }

        var inv = CultureInfo.InvariantCulture;
        var heldOut = new HeldOutTotals();
        var heldOutProxies = new HeldOutTotals();
        Console.WriteLine($"  {"held-out folder",-24} {"chosen on the other folders",-48} {"their std",9} {"worst",6} {"held-out std / lowFP / lowFN",30}{(hasProxies ? $" {"PROXY held-out",22}" : string.Empty)}");
        foreach (var folder in folders)
        {
            var ranked = Enumerable.Range(0, grid.Count)
                .Select(g =>
                {
                    var training = scored[g].Where(f => NabReport.Folder(f.Name) != folder).ToArray();
                    var score = NabScorer.Score(training, NabProfile.Standard);
                    return (Setting: g, score.NormalisedScore, Worst: WorstFolder(training, score.Threshold));
                })
                .OrderByDescending(r => Math.Round(r.NormalisedScore, 1)).ThenByDescending(r => Math.Round(r.Worst, 1)).ThenBy(r => r.Setting)
                .ToArray();
            var best = ranked[0];
            var runnerUp = ranked[1];

            var trainingFiles = scored[best.Setting].Where(f => NabReport.Folder(f.Name) != folder).ToArray();
            var testFiles = scored[best.Setting].Where(f => NabReport.Folder(f.Name) == folder).ToArray();
            var thresholds = NabProfile.All.Select(p => NabScorer.Score(trainingFiles, p).Threshold).ToArray();
            var original = heldOut.Add(testFiles.Where(f => !IsProxy(f.Name)).ToArray(), thresholds);
            var proxies = hasProxies ? $" {heldOutProxies.Add(testFiles.Where(f => IsProxy(f.Name)).ToArray(), thresholds),22}" : string.Empty;
            Console.WriteLine(string.Format(inv, "  {0,-24} {1,-48} {2,9:0.00} {3,6:0.0} {4,30}{5}   (next: {6}, {7:0.00} / {8:0.0}; threshold {9:0.0000})", folder, grid[best.Setting].Name, best.NormalisedScore, best.Worst, original, proxies, grid[runnerUp.Setting].Name, runnerUp.NormalisedScore, runnerUp.Worst, thresholds[0]));
        }

        Console.WriteLine($"  all folders, each held out (thresholds from its training folders): {heldOut.Combined()}{(hasProxies ? $"   PROXY: {heldOutProxies.Combined()}" : string.Empty)}");
        var swept = NabProfile.All.Select(p => NabScorer.Score(heldOut.Files, p).NormalisedScore);
        Console.WriteLine($"  all folders, each held out (one threshold swept over them, as NAB does):  {string.Join(" / ", swept.Select(c => c.ToString("0.0", inv)))}");

        var whole = Enumerable.Range(0, grid.Count)
            .Select(g =>
            {
                var score = NabScorer.Score(scored[g], NabProfile.Standard);
                return (Setting: g, score.NormalisedScore, Worst: WorstFolder(scored[g], score.Threshold));
            })
            .OrderByDescending(r => Math.Round(r.NormalisedScore, 1)).ThenByDescending(r => Math.Round(r.Worst, 1)).ThenBy(r => r.Setting)
            .ToArray();
        Console.WriteLine($"  every setting on the whole corpus, in the protocol's order (the first is the one it picks with no folder held out; in-sample):");
        foreach (var (g, score, worst) in whole.Take(10))
        {
            Console.WriteLine(string.Format(inv, "    {0,-48} {1,6:0.0}  worst folder {2,5:0.0}", grid[g].Name, score, worst));
        }
    }

    private static bool IsProxy(string key) => NabProxy.SourceKey(key) != key;

    /// <summary>The lowest standard score of a folder with windows, at the given threshold.</summary>
    private static double WorstFolder(IReadOnlyList<NabFile> files, double threshold) =>
        files.GroupBy(f => NabReport.Folder(f.Name))
            .Select(g => NabScorer.ScoreAt(g.ToArray(), NabProfile.Standard, threshold))
            .Where(s => s.PerfectScore > 0)
            .Select(s => s.NormalisedScore)
            .DefaultIfEmpty(0)
            .Min();

    /// <summary>Held-out files scored at their fold's thresholds, summed over the folds.</summary>
    private sealed class HeldOutTotals
    {
        private readonly double[] _raw = new double[NabProfile.All.Count];
        private int _windows;

        public List<NabFile> Files { get; } = [];

        /// <summary>Adds a fold's held-out files; returns their scores (or false positives where they have no windows).</summary>
        public string Add(IReadOnlyList<NabFile> files, IReadOnlyList<double> thresholds)
        {
            Files.AddRange(files);
            var cells = new List<string>();
            for (var p = 0; p < NabProfile.All.Count; p++)
            {
                var test = NabScorer.ScoreAt(files, NabProfile.All[p], thresholds[p]);
                _raw[p] += test.RawScore;
                _windows += p == 0 ? test.TruePositives + test.FalseNegatives : 0;
                cells.Add(test.PerfectScore == 0 ? $"{test.FalsePositives} FP" : test.NormalisedScore.ToString("0.0", CultureInfo.InvariantCulture));
            }

            return string.Join(" / ", cells);
        }

        public string Combined() => string.Join(" / ", NabProfile.All.Select((p, i) =>
            (100 * (_raw[i] + (_windows * p.FalseNegativeWeight)) / (_windows * (p.TruePositiveWeight + p.FalseNegativeWeight))).ToString("0.0", CultureInfo.InvariantCulture)));
    }
}
