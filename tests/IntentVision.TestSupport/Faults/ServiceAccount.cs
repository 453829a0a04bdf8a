using System.Diagnostics;

namespace IntentVision.TestSupport.Faults;

/// <summary>
/// Starts a child process as a service account runs: root ignores file permissions, so without the capabilities for it
/// (dropped with <c>setpriv</c>) a read-only database file is refused as it would be in production.
/// </summary>
public static class ServiceAccount
{
    /// <summary>A start info for <paramref name="program"/>, wrapped in <c>setpriv</c> when <paramref name="obeyFilePermissions"/>.</summary>
    public static ProcessStartInfo StartInfo(string program, bool obeyFilePermissions)
    {
        var info = new ProcessStartInfo(obeyFilePermissions ? "setpriv" : program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (obeyFilePermissions)
        {
            info.ArgumentList.Add("--bounding-set=-dac_override,-dac_read_search,-fowner");
            info.ArgumentList.Add("--inh-caps=-dac_override,-dac_read_search,-fowner");
            info.ArgumentList.Add(program);
        }

        return info;
    }
}
