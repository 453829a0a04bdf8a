namespace IntentVision.Evaluation.Nab;

/// <summary>
/// The NAB scoring rules (as stated in the datasets README, after Lavin and Ahmad 2015): rows in the
/// probationary period are ignored; the earliest detection in a window earns a reward that decays with its
/// position along a scaled sigmoid; a window without detection costs A_FN; each detection outside every
/// window costs A_FP, less if it falls shortly after a window. One threshold per profile is chosen over the
/// whole corpus by sweeping the detector's distinct scores.
/// </summary>
public static class NabScorer
{
    /// <summary>s(y) = 2 / (1 + e^{5y}) - 1, and -1 beyond y = 3.</summary>
    public static double ScaledSigmoid(double y) => y > 3 ? -1 : (2 / (1 + Math.Exp(5 * y))) - 1;

    public static int ProbationaryRows(int rows) => Math.Min((int)Math.Floor(0.15 * rows), 750);

    /// <summary>Sweeps every distinct score as threshold and keeps the best total raw score.</summary>
    public static NabScore Score(IReadOnlyList<NabFile> files, NabProfile profile)
    {
        var rows = files.Select(Prepare).ToArray();
        var windowCount = rows.Sum(r => r.WindowCount);
        var nullScore = -windowCount * profile.FalseNegativeWeight;
        var perfect = windowCount * profile.TruePositiveWeight;

        var candidates = new List<(double Score, int File, int Row)>();
        for (var f = 0; f < rows.Length; f++)
        {
            var scores = files[f].Scores;
            for (var i = rows[f].Probation; i < scores.Count; i++)
            {
                candidates.Add((scores[i], f, i));
            }
        }

        candidates.Sort((a, b) => b.Score.CompareTo(a.Score));
        var bestInWindow = new Dictionary<(int File, int Window), double>();
        var total = nullScore;
        var bestTotal = nullScore;
        var bestThreshold = candidates.Count > 0 ? Math.BitIncrement(candidates[0].Score) : 1;
        var index = 0;
        while (index < candidates.Count)
        {
            var threshold = candidates[index].Score;
            for (; index < candidates.Count && candidates[index].Score == threshold; index++)
            {
                var (_, f, i) = candidates[index];
                var row = rows[f];
                var window = row.WindowOf[i];
                if (window >= 0)
                {
                    var reward = row.Unweighted[i] * profile.TruePositiveWeight;
                    if (!bestInWindow.TryGetValue((f, window), out var current))
                    {
                        total += profile.FalseNegativeWeight + reward;
                        bestInWindow[(f, window)] = reward;
                    }
                    else if (reward > current)
                    {
                        total += reward - current;
                        bestInWindow[(f, window)] = reward;
                    }
                }
                else
                {
                    total += row.Unweighted[i] * profile.FalsePositiveWeight;
                }
            }

            if (total > bestTotal + 1e-12)
            {
                bestTotal = total;
                bestThreshold = threshold;
            }
        }

        return ScoreAt(files, profile, bestThreshold);
    }

    /// <summary>Scores the corpus with detections at score &gt;= <paramref name="threshold"/>.</summary>
    public static NabScore ScoreAt(IReadOnlyList<NabFile> files, NabProfile profile, double threshold)
    {
        double raw = 0;
        int tp = 0, fp = 0, fn = 0, windows = 0;
        foreach (var file in files)
        {
            var (fileRaw, fileTp, fileFp, fileFn) = ScoreFile(file, profile, threshold);
            raw += fileRaw;
            tp += fileTp;
            fp += fileFp;
            fn += fileFn;
            windows += fileTp + fileFn;
        }

        return new NabScore(profile, threshold, raw, -windows * profile.FalseNegativeWeight, windows * profile.TruePositiveWeight, tp, fp, fn);
    }

    /// <summary>Raw score of one file at a fixed threshold, with its counts of detected windows, false positives and missed windows.</summary>
    public static (double Raw, int TruePositives, int FalsePositives, int FalseNegatives) ScoreFile(NabFile file, NabProfile profile, double threshold)
    {
        var row = Prepare(file);
        var detected = new double?[row.WindowCount];
        double raw = 0;
        var fp = 0;
        for (var i = row.Probation; i < file.Scores.Count; i++)
        {
            if (file.Scores[i] < threshold)
            {
                continue;
            }

            var window = row.WindowOf[i];
            if (window >= 0)
            {
                // Only the earliest detection in a window counts; rows are visited in order.
                detected[window] ??= row.Unweighted[i] * profile.TruePositiveWeight;
            }
            else
            {
                raw += row.Unweighted[i] * profile.FalsePositiveWeight;
                fp++;
            }
        }

        var tp = 0;
        var fn = 0;
        foreach (var d in detected)
        {
            if (d is { } reward)
            {
                raw += reward;
                tp++;
            }
            else
            {
                raw -= profile.FalseNegativeWeight;
                fn++;
            }
        }

        return (raw, tp, fp, fn);
    }

    /// <summary>
    /// Per row: the window it lies in (or -1) and its unweighted score: the true-positive reward
    /// s(-(r-i+1)/w)/s(-1) inside a window, otherwise the (negative) false-positive factor.
    /// </summary>
    private static PreparedFile Prepare(NabFile file)
    {
        var n = file.Timestamps.Count;
        if (file.Scores.Count != n)
        {
            throw new ArgumentException($"{file.Name}: {file.Scores.Count} scores for {n} rows.");
        }

        var windowOf = new int[n];
        Array.Fill(windowOf, -1);
        var unweighted = new double[n];
        var bounds = new List<(int Left, int Right)>();
        foreach (var window in file.Windows.OrderBy(w => w.Start))
        {
            var left = -1;
            var right = -1;
            for (var i = 0; i < n; i++)
            {
                var t = file.Timestamps[i];
                if (t >= window.Start && t <= window.End)
                {
                    if (left < 0)
                    {
                        left = i;
                    }

                    right = i;
                }
            }

            if (left >= 0)
            {
                bounds.Add((left, right));
            }
        }

        var windowCount = bounds.Count;
        var unitTp = ScaledSigmoid(-1);
        var previous = -1;
        var next = 0;
        for (var i = 0; i < n; i++)
        {
            while (next < bounds.Count && bounds[next].Right < i)
            {
                previous = next;
                next++;
            }

            if (next < bounds.Count && i >= bounds[next].Left && i <= bounds[next].Right)
            {
                var (l, r) = bounds[next];
                var width = r - l + 1;
                windowOf[i] = next;
                unweighted[i] = ScaledSigmoid(-(double)(r - i + 1) / width) / unitTp;
            }
            else if (previous >= 0)
            {
                var (l, r) = bounds[previous];
                var width = r - l + 1;
                unweighted[i] = width > 1 ? ScaledSigmoid(Math.Abs(r - i) / (double)(width - 1)) : -1;
            }
            else
            {
                unweighted[i] = -1;
            }
        }

        return new PreparedFile(ProbationaryRows(n), windowOf, unweighted, windowCount);
    }

    private sealed record PreparedFile(int Probation, int[] WindowOf, double[] Unweighted, int WindowCount);
}
