using System.Diagnostics;
using System.Globalization;

namespace IntentVision.TestSupport.Faults;

/// <summary>POSIX signals to a child process: the faults a server meets in production (SIGKILL, SIGSTOP and SIGCONT).</summary>
public static class Signals
{
    public const string Kill = "KILL";
    public const string Continue = "CONT";
    public const string Stop = "STOP";
    public const string Terminate = "TERM";

    public static void Send(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException("kill did not start.");
        kill.WaitForExit(5000);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed: {kill.StandardError.ReadToEnd()}");
        }
    }
}
