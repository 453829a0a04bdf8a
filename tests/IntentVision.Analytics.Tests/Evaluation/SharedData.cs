namespace IntentVision.Analytics.Tests.Evaluation;

/// <summary>The team's shared, read-only datasets (../shared/datasets from the repository root).</summary>
internal static class SharedData
{
    public static string M4 { get; } = Find(Path.Combine("shared", "datasets", "m4"));

    private static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"{relative} was not found above {AppContext.BaseDirectory}.");
    }
}
