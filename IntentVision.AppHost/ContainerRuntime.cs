using System.Diagnostics;

namespace IntentVision.AppHost;

/// <summary>
/// Whether a container runtime answers, asked before the app model is built: a container resource without an
/// engine would otherwise sit in RuntimeUnhealthy and everything waiting on it would stall.
/// </summary>
internal static class ContainerRuntime
{
    public static bool Answers(string runtime = "docker")
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
