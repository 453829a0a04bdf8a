using System.Globalization;
using System.Text;
using IntentVision.Api.Alerting;

namespace IntentVision.Api.Sources;

/// <summary>
/// Pushes to a webhook source are signed like outgoing alert webhooks: <c>X-IntentVision-Timestamp</c> (Unix seconds)
/// and <c>X-IntentVision-Signature: sha256=HMAC-SHA256(secret, "&lt;timestamp&gt;.&lt;raw body&gt;")</c>. The timestamp must lie
/// within <see cref="Tolerance"/> of the server's clock, so a captured push cannot be replayed later; within the
/// tolerance the signature itself is remembered and a second use refused.
/// </summary>
public static class PushSignature
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static bool Verify(string secret, string? timestampHeader, ReadOnlySpan<byte> body, string? signature, DateTimeOffset now)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 100_000_000_000)
        {
            return false;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (age > Tolerance || age < -Tolerance)
        {
            return false;
        }

        var prefix = Encoding.UTF8.GetBytes(seconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return WebhookSignature.Verify(secret, signed, signature);
    }
}
