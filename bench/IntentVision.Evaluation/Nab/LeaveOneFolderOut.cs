using System.Globalization;
using IntentVision.Analytics.AnomalyDetection;

namespace IntentVision.Evaluation.Nab;

/// <summary>
/// The generalisation protocol: for each folder, the settings are chosen from a small grid by the standard score on
/// the other folders alone (threshold swept there too), and the folder is then scored with those settings and that
/// threshold. Nothing is tuned on the folder being scored. The grid varies the few settings that matter, around the
/// published CAD OSE defaults (3 bits, a range padded by 10%, rest periods of 30 to 150 points). The defaults are the
/// setting this protocol picks when no folder is held out.
/// </summary>
public static class LeaveOneFolderOut
{
    public static IReadOnlyList<(string Name, MonitorSettings Settings)> Grid()
    {
        var grid = new List<(string, MonitorSettings)>();
        foreach (var bits in new[] { 3, 4, 5 })
        {
            foreach (var margin in new[] { 0.05, 0.1 })
            {
                foreach (var rest in new[] { 50, 100, 150 })
                {
                    foreach (var weight in new[] { 0.0, 0.9 })
                    {
                        var detector = AnomalyDetectorOptions.Default with { ContextBits = bits, SpatialMargin = margin, ContextRestPeriod = rest, DeviationWeight = weight };
                        var name = string.Create(CultureInfo.InvariantCulture, $"bits {bits}, margin {margin}, rest {rest}, deviation {weight}");
                        grid.Add((name, MonitorSettings.Default with { Detector = detector, IncidentLength = rest }));
                    }
                }
            }
        }

        return grid;
    }

    public static void Run(IReadOnlyList<NabSeries> corpus, Func<string, IReadOnlyList<NabWindow>> windows, int threads)
    {
        var grid = Grid();
        var folders = corpus.Select(s => s.Folder).Distinct().Order(StringComparer.Ordinal).ToArray();
        Console.WriteLine($"Leave-one-folder-out over {grid.Count} settings x {corpus.Count} files ({folders.Length} folders):");

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
        var heldOut = new List<NabFile>();
        var heldOutRaw = NabProfile.All.ToDictionary(p => p, _ => 0.0);
        var heldOutWindows = 0;
        Console.WriteLine($"  {"held-out folder",-24} {"chosen on the other folders",-48} {"their std",9} {"held-out std / lowFP / lowFN",30}");
        foreach (var folder in folders)
        {
            // Ties go to the first setting in grid order.
            var ranked = Enumerable.Range(0, grid.Count)
                .Select(g => (Setting: g, Score: NabScorer.Score(scored[g].Where(f => NabReport.Folder(f.Name) != folder).ToArray(), NabProfile.Standard).NormalisedScore))
                .OrderByDescending(r => Math.Round(r.Score, 9)).ThenBy(r => r.Setting)
                .ToArray();
            var (best, bestScore) = ranked[0];
            var runnerUp = ranked[1];

            var trainingFiles = scored[best].Where(f => NabReport.Folder(f.Name) != folder).ToArray();
            var testFiles = scored[best].Where(f => NabReport.Folder(f.Name) == folder).ToArray();
            heldOut.AddRange(testFiles);
            var cells = new List<string>();
            foreach (var profile in NabProfile.All)
            {
                var threshold = NabScorer.Score(trainingFiles, profile).Threshold;
                var test = NabScorer.ScoreAt(testFiles, profile, threshold);
                heldOutRaw[profile] += test.RawScore;
                heldOutWindows += profile == NabProfile.Standard ? test.TruePositives + test.FalseNegatives : 0;
                cells.Add(test.PerfectScore == 0 ? $"{test.FalsePositives} FP" : test.NormalisedScore.ToString("0.0", inv));
            }

            Console.WriteLine(string.Format(inv, "  {0,-24} {1,-48} {2,9:0.00} {3,30}   (next: {4}, {5:0.00})", folder, grid[best].Name, bestScore, string.Join(" / ", cells), grid[runnerUp.Setting].Name, runnerUp.Score));
        }

        var combined = NabProfile.All.Select(p => 100 * (heldOutRaw[p] + (heldOutWindows * p.FalseNegativeWeight)) / (heldOutWindows * (p.TruePositiveWeight + p.FalseNegativeWeight)));
        Console.WriteLine($"  all folders, each held out (thresholds from its training folders): {string.Join(" / ", combined.Select(c => c.ToString("0.0", inv)))}");
        var swept = NabProfile.All.Select(p => NabScorer.Score(heldOut, p).NormalisedScore);
        Console.WriteLine($"  all folders, each held out (one threshold swept over them, as NAB does):  {string.Join(" / ", swept.Select(c => c.ToString("0.0", inv)))}");

        Console.WriteLine("  every setting on the whole corpus (in-sample, for reference):");
        foreach (var (g, score) in Enumerable.Range(0, grid.Count).Select(g => (g, NabScorer.Score(scored[g], NabProfile.Standard).NormalisedScore)).OrderByDescending(x => x.Item2).Take(8))
        {
            Console.WriteLine(string.Format(inv, "    {0,-48} {1,6:0.0}", grid[g].Name, score));
        }
    }
}
