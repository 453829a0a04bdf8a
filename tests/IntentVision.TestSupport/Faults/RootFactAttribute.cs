namespace IntentVision.TestSupport.Faults;

/// <summary>
/// A fault test: it mounts a tmpfs in a private mount namespace, drops capabilities, sends signals, so it needs root on
/// Linux with util-linux (which <c>./test.sh</c> installs); elsewhere it is skipped, saying why.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!PrivateDisk.IsSupported)
        {
            Skip = "fault tests need root on Linux with unshare, nsenter and setpriv (util-linux)";
        }
    }
}
