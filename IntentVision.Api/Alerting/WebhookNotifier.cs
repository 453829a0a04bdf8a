using System.Text;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Alerting;

/// <summary>
/// Posts signed alert events to webhook channels, retrying network errors, timeouts, 408, 429 and 5xx with
/// exponential backoff. It owns its HttpClient rather than taking the shared resilient one, so the attempts it
/// records are the attempts that were made.
/// </summary>
public sealed class WebhookNotifier : IDisposable
{
    private readonly HttpClient _http;
    private readonly AlertingOptions _options;
    private readonly TimeProvider _time;

    public WebhookNotifier(IOptions<AlertingOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
        {
            Timeout = _options.DeliveryTimeout,
        };
    }

    public async Task<WebhookDeliveryResult> DeliverAsync(NotificationChannel channel, string alertEvent, string body, CancellationToken cancellationToken)
    {
        var backoff = _options.InitialBackoff;
        int? status = null;
        string? error = null;
        var attempts = Math.Max(1, _options.MaxAttempts);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(backoff, _time, cancellationToken);
                backoff *= 2;
            }

            try
            {
                var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Post, channel.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.SignTimestamped(channel.Secret ?? string.Empty, timestamp, body));
                request.Headers.Add(WebhookSignature.EventHeader, alertEvent);
                using var response = await _http.SendAsync(request, cancellationToken);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return new WebhookDeliveryResult(attempt, true, status, null);
                }

                error = $"HTTP {status}";
                if (status is not (408 or 429 or >= 500))
                {
                    return new WebhookDeliveryResult(attempt, false, status, error);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                status = null;
                error = e is TaskCanceledException ? "timed out" : e.Message;
            }
        }

        return new WebhookDeliveryResult(attempts, false, status, error);
    }

    public void Dispose() => _http.Dispose();
}
