using System.Security.Cryptography;
using System.Text;

namespace IntentVision.Api.Alerting;

/// <summary>
/// HMAC-SHA256 signatures, as <c>sha256=&lt;lowercase hex&gt;</c>, over <c>&lt;unix seconds&gt;.&lt;body&gt;</c> in both
/// directions: outgoing alert webhooks and incoming source pushes. The timestamp travels in
/// <c>X-IntentVision-Timestamp</c>, so a receiver can refuse an old (replayed) message.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-IntentVision-Signature";
    public const string TimestampHeader = "X-IntentVision-Timestamp";
    public const string EventHeader = "X-IntentVision-Event";

    public static string Sign(string secret, ReadOnlySpan<byte> payload) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));

    public static string SignTimestamped(string secret, long unixSeconds, string body) =>
        Sign(secret, Encoding.UTF8.GetBytes($"{unixSeconds}.{body}"));

    /// <summary>Compares in constant time, so the comparison leaks nothing about the expected signature.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> payload, string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, payload));
        var given = Encoding.ASCII.GetBytes(presented.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
