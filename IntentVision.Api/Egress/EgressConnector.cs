using System.Net;
using System.Net.Sockets;

namespace IntentVision.Api.Egress;

/// <summary>
/// Opens every outbound connection of the API (HTTP through <see cref="EgressHttpClient"/>, SMTP through the email
/// channel): resolves the host, keeps the addresses the <see cref="EgressPolicy"/> allows and connects to the first
/// that answers. The check is made here, at connect time, on the addresses actually dialled, so a name that
/// resolves to an internal address (or is re-pointed after validation) is refused all the same.
/// </summary>
public sealed class EgressConnector(EgressPolicy policy, ILogger<EgressConnector> logger)
{
    public async Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new EgressException(EgressFailure.ConnectionFailed, "the host name did not resolve", inner: e);
            }
        }

        var allowed = addresses.Where(a => policy.Allows(host, a)).ToList();
        if (allowed.Count == 0)
        {
            // The operator sees which name and address were refused; the tenant only the category.
            logger.LogWarning("Egress refused: {Host} resolves to {Addresses}, none allowed by the policy", host, string.Join(", ", addresses.Select(a => a.ToString())));
            throw new EgressException(EgressFailure.RefusedByPolicy, "the destination is not allowed by the egress policy");
        }

        SocketException? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new EgressException(EgressFailure.ConnectionFailed, "the connection was refused or the host is unreachable", inner: last);
    }
}
