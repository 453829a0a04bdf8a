using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntentVision.Api.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IntentVision.Api.Tests;

/// <summary>GET /api/events end to end: a real API on each backend, detection as ingest runs it, the stream read as a client reads it.</summary>
public abstract class EventStreamTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static double Seasonal(int i) => 100 + (10 * Math.Sin(2 * Math.PI * i / 60.0)) + (i % 3);

    [Fact]
    public async Task AStoredAnomalyIsPushedToTheOrganizationsStreamOnly()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var other = await factory.NewTenant("ingest:write", "metrics:read");
        await using var stream = await EventReader.OpenAsync(tenant.Client);
        await using var otherStream = await EventReader.OpenAsync(other.Client);

        var id = await tenant.Client.Ingest("latency_ms", 800, i => i == 700 ? 900 : Seasonal(i), start: TestData.T0.AddDays(-1));

        var pushed = await stream.NextAsync().WaitAsync(Patience);
        Assert.Equal("anomaly.detected", pushed.Type);
        var data = JsonDocument.Parse(pushed.Data).RootElement;
        Assert.Equal(id, data.GetProperty("seriesId").GetInt64());
        Assert.True(data.GetProperty("count").GetInt32() >= 1);
        Assert.True(data.GetProperty("latestTimestamp").GetDateTimeOffset() >= TestData.T0.AddDays(-1).AddMinutes(700));

        // The other organization's stream stays quiet about it: the first event it gets is its own.
        var ownId = await other.Client.Ingest("errors", 800, i => i == 650 ? 5000 : Seasonal(i), start: TestData.T0.AddDays(-1));
        var own = await otherStream.NextAsync().WaitAsync(Patience);
        Assert.Equal(ownId, JsonDocument.Parse(own.Data).RootElement.GetProperty("seriesId").GetInt64());
    }

    [Fact]
    public async Task ThePlatformAdminStreamsAnOrganizationNamedInTheHeader()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        using var admin = factory.Admin();
        admin.DefaultRequestHeaders.Add("X-IntentVision-Organization", tenant.Id);
        await using var stream = await EventReader.OpenAsync(admin);
        var broadcaster = factory.Service<EventBroadcaster>();
        broadcaster.Publish(tenant.Id, new AlertChangedEvent(41, 7, 3, "firing"));

        var pushed = await stream.NextAsync().WaitAsync(Patience);
        Assert.Equal("alert.changed", pushed.Type);
        Assert.Equal("firing", JsonDocument.Parse(pushed.Data).RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task WithoutAKeyOrWithoutTheReadScopeTheStreamIsRefused()
    {
        using var anonymous = factory.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/events")).StatusCode);
        var writer = await factory.NewTenant("ingest:write");
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.Client.GetAsync("/api/events")).StatusCode);
        using var admin = factory.Admin();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/events")).StatusCode);
    }

    [Fact]
    public async Task ClosingTheStreamUnsubscribes()
    {
        var tenant = await factory.NewTenant("metrics:read");
        var broadcaster = factory.Service<EventBroadcaster>();
        var before = broadcaster.SubscriberCount;
        var stream = await EventReader.OpenAsync(tenant.Client);
        Assert.Equal(before + 1, broadcaster.SubscriberCount);
        await stream.DisposeAsync();
        var deadline = DateTime.UtcNow + Patience;
        while (broadcaster.SubscriberCount != before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(before, broadcaster.SubscriberCount);
    }
}

public sealed class EventStreamTestsOnFile(ApiFactory factory) : EventStreamTests<ApiFactory>(factory);

public sealed class EventStreamTestsOnSqld(SqldApiFactory factory) : EventStreamTests<SqldApiFactory>(factory);

/// <summary>The broadcaster and the stream writer on their own: buffers, drops, heartbeats.</summary>
public sealed class EventBroadcasterTests
{
    private static EventBroadcaster Broadcaster(int buffer = 256, int max = 1000) =>
        new(Options.Create(new EventStreamOptions { BufferSize = buffer, MaxSubscribers = max }));

    [Fact]
    public void EventsReachEverySubscriberOfTheirOrganizationAndNoOther()
    {
        var events = Broadcaster();
        using var a1 = events.TrySubscribe("a")!;
        using var a2 = events.TrySubscribe("a")!;
        using var b = events.TrySubscribe("b")!;
        events.Publish("a", new AnomalyDetectedEvent(1, 2, DateTimeOffset.UnixEpoch));

        Assert.True(a1.TryRead(out var first) && first is AnomalyDetectedEvent { SeriesId: 1 });
        Assert.True(a2.TryRead(out var second) && second is AnomalyDetectedEvent { Count: 2 });
        Assert.False(b.TryRead(out _));
    }

    [Fact]
    public void ASlowReaderLosesTheOldestEventsAndIsToldToResync()
    {
        var events = Broadcaster(buffer: 3);
        using var slow = events.TrySubscribe("a")!;
        for (var i = 1; i <= 5; i++)
        {
            events.Publish("a", new AlertChangedEvent(i, 1, null, "firing"));
        }

        Assert.True(slow.TryRead(out var first));
        Assert.Equal(new ResyncEvent(2), first);
        var rest = new List<long>();
        while (slow.TryRead(out var e))
        {
            rest.Add(((AlertChangedEvent)e!).AlertId);
        }

        Assert.Equal([3, 4, 5], rest);
    }

    [Fact]
    public void BeyondTheLimitNoSubscriptionIsGivenAndDisposingOneFreesItsPlace()
    {
        var events = Broadcaster(max: 2);
        var first = events.TrySubscribe("a")!;
        using var second = events.TrySubscribe("b")!;
        Assert.Null(events.TrySubscribe("a"));
        first.Dispose();
        Assert.Equal(1, events.SubscriberCount);
        using var third = events.TrySubscribe("a");
        Assert.NotNull(third);
        events.Publish("a", new ResyncEvent(0));
        Assert.False(first.TryRead(out _));
    }

    [Fact]
    public async Task AnIdleStreamSendsHeartbeatsAndEventsAsTheyCome()
    {
        var events = Broadcaster();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var subscription = events.TrySubscribe("a")!;
        var body = new Pipe();
        using var disconnect = new CancellationTokenSource();
        var context = new DefaultHttpContext { RequestAborted = disconnect.Token };
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body.Writer.AsStream()));
        var writing = new EventStreamResult(subscription, TimeSpan.FromSeconds(15), time).ExecuteAsync(context);
        var reader = new StreamReader(body.Reader.AsStream(), Encoding.UTF8);

        Assert.Equal(": subscribed", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(string.Empty, await reader.ReadLineAsync());
        var heartbeat = reader.ReadLineAsync();
        await WaitUntilAsync(() => { time.Advance(TimeSpan.FromSeconds(1)); return heartbeat.IsCompleted; });
        Assert.Equal(": heartbeat", await heartbeat);
        Assert.Equal(string.Empty, await reader.ReadLineAsync());

        events.Publish("a", new AnomalyDetectedEvent(9, 1, DateTimeOffset.UnixEpoch));
        Assert.Equal("event: anomaly.detected", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("""data: {"seriesId":9,"count":1,"latestTimestamp":"1970-01-01T00:00:00+00:00"}""", await reader.ReadLineAsync());

        await disconnect.CancelAsync();
        await writing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, events.SubscriberCount);
    }

    private static async Task WaitUntilAsync(Func<bool> done)
    {
        for (var i = 0; i < 500 && !done(); i++)
        {
            await Task.Delay(10);
        }
    }
}

/// <summary>Reads a text/event-stream response as a client does, event by event (heartbeat comments skipped).</summary>
internal sealed class EventReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public static async Task<EventReader> OpenAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new EventReader(response, await response.Content.ReadAsStreamAsync());
        // The server's first line says the subscription is in place; events published after it reach this reader.
        Assert.Equal(": subscribed", await reader._reader.ReadLineAsync());
        return reader;
    }

    public async Task<(string Type, string Data)> NextAsync()
    {
        string? type = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (type is not null)
                {
                    return (type, data.ToString());
                }

                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }

        throw new EndOfStreamException("The event stream ended.");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
