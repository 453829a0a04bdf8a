using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace IntentVision.Api.Events;

/// <summary>
/// Writes one subscription as a text/event-stream response (WHATWG server-sent events) until the client goes away:
/// each event as "event: &lt;type&gt;" and "data: &lt;json&gt;", a comment line as heartbeat when nothing else went out
/// for a while. Disposes the subscription when the client disconnects.
/// </summary>
public sealed class EventStreamResult(EventSubscription subscription, TimeSpan heartbeat, TimeProvider time) : IResult
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task ExecuteAsync(HttpContext context)
    {
        using var owned = subscription;
        var response = context.Response;
        var aborted = context.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            // Sent at once, so the client knows it is subscribed before the first event.
            await response.WriteAsync(": subscribed\n\n", aborted);
            await response.Body.FlushAsync(aborted);
            while (!aborted.IsCancellationRequested)
            {
                using var beat = new CancellationTokenSource(heartbeat, time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted, beat.Token);
                bool ready;
                try
                {
                    ready = await subscription.WaitAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await response.WriteAsync(": heartbeat\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                    continue;
                }

                if (!ready)
                {
                    return;
                }

                while (subscription.TryRead(out var e))
                {
                    await response.WriteAsync($"event: {e!.Type}\ndata: {JsonSerializer.Serialize(e, e.GetType(), Json)}\n\n", aborted);
                }

                await response.Body.FlushAsync(aborted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            // The client went away; the subscription goes with it.
        }
    }
}
