namespace IntentVision.Analytics.Tests.Evaluation;

/// <summary>
/// The team's shared, read-only datasets: <c>INTENTVISION_DATASETS</c> when set, else <c>shared/datasets</c> in a folder
/// above the test binaries (<c>../shared/datasets</c> from the repository root). They are not in the repository, so
/// the tests that read them (<see cref="SharedDataFactAttribute"/>, <see cref="SharedDataTheoryAttribute"/>) are
/// skipped, saying why, on a clone that has no such folder beside it.
/// </summary>
internal static class SharedData
{
    private static readonly string? M4Directory = Find("m4");

    public static string M4 => M4Directory ?? throw new DirectoryNotFoundException(MissingReason);

    public static string? MissingReason => M4Directory is null
        ? $"needs the M4 files of shared/datasets/m4 (not found above {AppContext.BaseDirectory}; set INTENTVISION_DATASETS to the datasets folder)"
        : null;

    private static string? Find(string dataset)
    {
        if (Environment.GetEnvironmentVariable("INTENTVISION_DATASETS") is { Length: > 0 } configured)
        {
            var named = Path.Combine(configured, dataset);
            return Directory.Exists(named) ? named : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets", dataset);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that reads <see cref="SharedData"/>: skipped, with the reason, where the datasets are absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute() => Skip = SharedData.MissingReason;
}

/// <summary>A theory that reads <see cref="SharedData"/>: skipped, with the reason, where the datasets are absent.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute() => Skip = SharedData.MissingReason;
}
