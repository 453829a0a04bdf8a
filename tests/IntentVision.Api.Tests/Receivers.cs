using System.Collections.Concurrent;
using Dapper;
using IntentVision.Api.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntentVision.Api.Tests;

/// <summary>A request a receiver got: its headers of interest and body, and when it arrived.</summary>
public sealed record ReceivedRequest(string Path, string Event, string Timestamp, string Signature, string Body, DateTimeOffset At);

/// <summary>
/// A real HTTP receiver on loopback for webhook and Slack-format notifications. <see cref="Answer"/> decides the
/// status per request (and may wait, to play a hanging receiver).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private WebhookReceiver(LoopbackServer server) => _server = server;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Every request, answered or not (a hanging receiver counts it when it arrives).</summary>
    public int Arrivals => _arrivals;

    private int _arrivals;

    public Func<ReceivedRequest, CancellationToken, Task<int>> Answer { get; set; } = (_, _) => Task.FromResult(200);

    public string Url(string path = "/hook") => _server.BaseUrl + path;

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        WebhookReceiver? receiver = null;
        var server = await LoopbackServer.StartAsync(_ => { }, app => app.MapPost("/{**path}", async (HttpRequest request, CancellationToken aborted) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(aborted);
            var received = new ReceivedRequest(
                request.Path, request.Headers["X-IntentVision-Event"].ToString(), request.Headers["X-IntentVision-Timestamp"].ToString(),
                request.Headers["X-IntentVision-Signature"].ToString(), body, DateTimeOffset.UtcNow);
            Interlocked.Increment(ref receiver!._arrivals);
            var status = await receiver.Answer(received, aborted);
            if (status is >= 200 and < 300)
            {
                receiver.Received.Enqueue(received);
            }

            return Results.StatusCode(status);
        }), port);
        receiver = new WebhookReceiver(server);
        return receiver;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

internal static class Delivery
{
    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Waits (polling) until <paramref name="condition"/> holds; false when it never did within <paramref name="within"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    /// <summary>Runs the dispatcher until the organization has no queued notification left (retries included), or the time is up.</summary>
    public static async Task DeliverAsync(this ApiFactory factory, string organizationId, TimeSpan? within = null)
    {
        var dispatcher = factory.Service<NotificationDispatcher>();
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            await dispatcher.RunOnceAsync(CancellationToken.None);
            if (await QueuedAsync(factory, organizationId) == 0 || DateTime.UtcNow > deadline)
            {
                return;
            }

            await Task.Delay(50);
        }
    }

    public static async Task<long> QueuedAsync(ApiFactory factory, string organizationId)
    {
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM notification_outbox WHERE organization_id = @organizationId AND status = 'queued'", new { organizationId });
    }
}
