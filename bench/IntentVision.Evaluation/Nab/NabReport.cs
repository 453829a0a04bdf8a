using System.Globalization;

namespace IntentVision.Evaluation.Nab;

/// <summary>The tables the <c>nab</c> command prints.</summary>
public static class NabReport
{
    private static readonly (string Name, double Score)[] Scoreboard =
    [
        ("Numenta HTM", 70.5), ("CAD OSE", 69.9), ("earthgecko Skyline", 58.2), ("KNN CAD", 58.0), ("Relative Entropy", 54.6),
        ("Random Cut Forest", 51.7), ("Twitter ADVec", 47.1), ("Windowed Gaussian", 39.6), ("Etsy Skyline", 35.7),
        ("Bayesian Changepoint", 17.7), ("random", 11.0), ("null", 0),
    ];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One scored run: a name and its files.</summary>
    public sealed record Run(string Name, IReadOnlyList<NabFile> Files);

    public static void Profiles(Run run)
    {
        var flagged = run.Files.Sum(f => f.Scores.Count(x => x > 0));
        var rows = run.Files.Sum(f => f.Scores.Count);
        Console.WriteLine(string.Format(Inv, "{0}: {1} rows with a score above 0 ({2:0.00} per 1,000 rows)", run.Name, flagged, 1000.0 * flagged / Math.Max(1, rows)));
        Console.WriteLine($"  {"profile",-20} {"score",7} {"threshold",10} {"TP",4} {"FP",5} {"FN",4}");
        foreach (var profile in NabProfile.All)
        {
            var score = NabScorer.Score(run.Files, profile);
            Console.WriteLine(string.Format(Inv, "  {0,-20} {1,7:0.0} {2,10:0.0000} {3,4} {4,5} {5,4}", profile.Name, score.NormalisedScore, score.Threshold, score.TruePositives, score.FalsePositives, score.FalseNegatives));
        }
    }

    /// <summary>
    /// Each folder's score (standard / reward_low_FP / reward_low_FN) at the threshold swept over the whole corpus for
    /// each run, side by side; a folder without windows shows its false positives instead.
    /// </summary>
    public static void Folders(IReadOnlyList<Run> runs)
    {
        var thresholds = runs.Select(r => NabProfile.All.Select(p => NabScorer.Score(r.Files, p).Threshold).ToArray()).ToArray();
        var folders = runs[0].Files.Select(f => Folder(f.Name)).Distinct().Order(StringComparer.Ordinal).Append("(all)").ToArray();
        Console.WriteLine($"  {"folder",-24}" + string.Concat(runs.Select(r => $" {r.Name,22}")));
        foreach (var folder in folders)
        {
            var line = $"  {folder,-24}";
            for (var r = 0; r < runs.Count; r++)
            {
                var files = runs[r].Files.Where(f => folder == "(all)" || Folder(f.Name) == folder).ToArray();
                var cells = NabProfile.All.Select((p, i) => NabScorer.ScoreAt(files, p, thresholds[r][i])).ToArray();
                line += cells[0].PerfectScore == 0
                    ? $" {$"{cells[0].FalsePositives} FP",22}"
                    : string.Format(Inv, " {0,22}", string.Join(" / ", cells.Select(c => c.NormalisedScore.ToString("0.0", Inv))));
            }

            Console.WriteLine(line);
        }
    }

    public static void PerFile(Run run)
    {
        var standard = NabScorer.Score(run.Files, NabProfile.Standard);
        foreach (var file in run.Files)
        {
            var (raw, tp, fp, fn) = NabScorer.ScoreFile(file, NabProfile.Standard, standard.Threshold);
            Console.WriteLine(string.Format(Inv, "  {0,-60} raw {1,7:0.00} TP {2} FP {3} FN {4}", file.Name, raw, tp, fp, fn));
        }
    }

    public static void PublishedScoreboard()
    {
        Console.WriteLine();
        Console.WriteLine("Published NAB scoreboard, standard profile, full 58-file corpus:");
        foreach (var (name, score) in Scoreboard)
        {
            Console.WriteLine(string.Format(Inv, "  {0,-22} {1,5:0.0}", name, score));
        }
    }

    public static string Folder(string key) => key.Contains('/', StringComparison.Ordinal) ? key[..key.LastIndexOf('/')] : "(root)";
}
