using System.Net;
using System.Net.Sockets;

namespace IntentVision.TestSupport;

/// <summary>Ports on 127.0.0.1 for the servers tests start, and for tests of a server that is not there.</summary>
public static class LoopbackPort
{
    /// <summary>A port that was free a moment ago: nobody listens on it until someone binds it (connections are refused).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
