namespace IntentVision.Evaluation.M4;

/// <summary>
/// Which files an <c>m4</c> run reads. The frequency comes from <c>--frequency</c>, else from the training
/// file's name. A folder (<c>--data</c>, or a folder given as <c>--train</c>/<c>--test</c>) holds
/// <c>&lt;Frequency&gt;-train.csv</c> and <c>-test.csv</c>; a file named after another frequency
/// (<c>Hourly-train.csv</c> with <c>--frequency daily</c>) points at the folder it sits in, so one command line
/// serves every frequency. Any other file name is taken as given.
/// </summary>
public sealed record M4Files(M4Frequency Frequency, string Train, string? Test, string Published)
{
    public const string PublishedFileName = "published_point_forecasts_by_frequency.tsv";

    /// <param name="needsTest">False for holdout and proxy runs, which never read a test file.</param>
    public static M4Files Resolve(string? frequency, string? data, string? train, string? test, string? published, bool needsTest)
    {
        if (data is null && train is null)
        {
            throw new ArgumentException("give --data <folder with the M4 csv files>, or --train (and --test).");
        }

        M4Frequency resolved;
        if (frequency is not null)
        {
            resolved = M4Frequency.TryParse(frequency, out var f) ? f : throw new ArgumentException(M4Frequency.UnknownMessage(frequency));
        }
        else
        {
            resolved = (train is null ? null : M4Frequency.FromFileName(train))
                ?? throw new ArgumentException("give --frequency (hourly, daily, weekly, monthly, quarterly or yearly): it cannot be read from the file names.");
        }

        var trainFile = Locate(train ?? data!, resolved, resolved.TrainFileName, "--train");
        string? testFile = null;
        if (needsTest)
        {
            var testPath = test ?? data ?? Path.GetDirectoryName(Path.GetFullPath(trainFile))!;
            testFile = Locate(testPath, resolved, resolved.TestFileName, "--test");
        }

        var publishedFile = published ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(trainFile))!, PublishedFileName);
        return new M4Files(resolved, trainFile, testFile, publishedFile);
    }

    private static string Locate(string given, M4Frequency frequency, string expectedName, string option)
    {
        var full = Path.GetFullPath(given);
        string candidate;
        if (Directory.Exists(full))
        {
            candidate = Path.Combine(full, expectedName);
        }
        else if (M4Frequency.FromFileName(full) is { } named && named != frequency)
        {
            // Another frequency's file: the wanted one lies beside it.
            candidate = Path.Combine(Path.GetDirectoryName(full)!, expectedName);
        }
        else
        {
            candidate = full;
        }

        return File.Exists(candidate)
            ? candidate
            : throw new ArgumentException($"{option}: {candidate} does not exist{(candidate == full ? string.Empty : $" (looked for {expectedName} beside {given})")}.");
    }
}
