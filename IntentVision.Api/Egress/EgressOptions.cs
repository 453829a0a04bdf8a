namespace IntentVision.Api.Egress;

/// <summary>
/// Configuration <c>IntentVision:Egress</c>. <see cref="Allow"/> opens addresses the policy denies by default
/// (loopback, private, link-local, ...): CIDR blocks (<c>10.20.0.0/16</c>, <c>127.0.0.1/32</c>) or host names
/// (<c>metrics.internal</c>, <c>*.corp.example</c>). Empty by default: a tenant's URL reaches public addresses only.
/// </summary>
public sealed class EgressOptions
{
    public const string Section = "IntentVision:Egress";

    public List<string> Allow { get; set; } = [];

    /// <summary>Largest response header block accepted, in kilobytes.</summary>
    public int MaxResponseHeadersKilobytes { get; set; } = 32;
}
