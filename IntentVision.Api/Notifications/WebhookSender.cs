using System.Globalization;
using System.Text;
using IntentVision.Api.Alerting;
using IntentVision.Api.Egress;

namespace IntentVision.Api.Notifications;

/// <summary>
/// The generic webhook: POSTs the JSON payload with <c>X-IntentVision-Event</c> (firing or resolved),
/// <c>X-IntentVision-Timestamp</c> (Unix seconds) and <c>X-IntentVision-Signature: sha256=&lt;hex HMAC-SHA256 of
/// "&lt;timestamp&gt;.&lt;body&gt;" with the channel's secret&gt;</c>.
/// </summary>
public sealed class WebhookSender(EgressHttpClient http, TimeProvider time) : INotificationSender
{
    /// <summary>Answers are read only to finish the exchange; receivers have nothing to say to us.</summary>
    private const long MaxAnswerBytes = 64 * 1024;

    public string ChannelType => "webhook";

    public async Task<SendResult> SendAsync(NotificationChannel channel, NotificationMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.Url) { Content = new StringContent(message.Payload, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.SignTimestamped(channel.Secret ?? string.Empty, timestamp, message.Payload));
        request.Headers.Add(WebhookSignature.EventHeader, message.Status);
        return await HttpDelivery.SendAsync(http, request, MaxAnswerBytes, timeout, cancellationToken);
    }
}

/// <summary>One HTTP attempt through the egress client, as a <see cref="SendResult"/>.</summary>
internal static class HttpDelivery
{
    public static async Task<SendResult> SendAsync(EgressHttpClient http, HttpRequestMessage request, long maxAnswerBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var response = await http.SendAsync(request, maxAnswerBytes, timeout, cancellationToken);
            return SendResult.FromStatus(response.StatusCode);
        }
        catch (EgressException e) when (e.StatusCode is { } status)
        {
            // An answer too large still tells whether the receiver took the message.
            return SendResult.FromStatus(status);
        }
        catch (EgressException e)
        {
            return new SendResult(false, e.Failure != EgressFailure.RefusedByPolicy, e.Describe(), null);
        }
    }
}
