using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Egress;

/// <summary>
/// Which addresses outbound requests may reach. Denied unless allow-listed: loopback, "this network", private
/// (RFC 1918), CGNAT, link-local (cloud metadata at 169.254.169.254), unique-local, site-local, multicast, reserved,
/// documentation and benchmarking blocks, and every IPv6 form that embeds one of those IPv4 addresses
/// (IPv4-mapped, IPv4-compatible, NAT64, 6to4).
/// </summary>
public sealed class EgressPolicy
{
    private static readonly AddressRange[] Denied =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(AddressRange.Parse),
    ];

    private static readonly AddressRange Nat64 = AddressRange.Parse("64:ff9b::/96");
    private static readonly AddressRange SixToFour = AddressRange.Parse("2002::/16");
    private static readonly AddressRange Ipv4Compatible = AddressRange.Parse("::/96");

    private readonly List<AddressRange> _allowedRanges = [];
    private readonly List<string> _allowedHosts = [];

    public EgressPolicy(IOptions<EgressOptions> options)
    {
        foreach (var entry in options.Value.Allow.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (AddressRange.TryParse(entry, out var range))
            {
                _allowedRanges.Add(range);
            }
            else
            {
                _allowedHosts.Add(entry.ToLowerInvariant());
            }
        }
    }

    /// <summary>Whether a connection to <paramref name="address"/>, reached through <paramref name="host"/> (the name in the URL), is allowed.</summary>
    public bool Allows(string host, IPAddress address)
    {
        var normalized = Normalize(address);
        if (_allowedRanges.Any(r => r.Contains(normalized) || r.Contains(address)) || IsAllowedHost(host))
        {
            return true;
        }

        return !IsDenied(normalized);
    }

    /// <summary>Whether a URL's host is an address literal that the policy refuses (caught at validation; names are checked at connect time).</summary>
    public bool RefusesLiteral(Uri url) =>
        IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address) && !Allows(url.IdnHost, address);

    private bool IsAllowedHost(string host)
    {
        var name = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        foreach (var allowed in _allowedHosts)
        {
            if (allowed.StartsWith("*.", StringComparison.Ordinal) ? name.EndsWith(allowed[1..], StringComparison.Ordinal) : name == allowed)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDenied(IPAddress address) => Denied.Any(r => r.Contains(address));

    /// <summary>The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4), else the address itself.</summary>
    private static IPAddress Normalize(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || (Ipv4Compatible.Contains(address) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback)))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : address;
    }
}
