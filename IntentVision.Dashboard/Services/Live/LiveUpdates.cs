using System.Net.Http.Headers;

namespace IntentVision.Dashboard.Services.Live;

/// <summary>
/// The API's event stream (<c>GET /api/events</c>) read on the server, one connection per organization that an
/// open page shows, fanned out to those pages' circuits. A dropped stream reconnects with back-off; pages keep
/// polling as the fallback, so a page is never worse off than without pushes.
/// </summary>
public sealed class LiveUpdates(IHttpClientFactory clients, IConfiguration configuration, TimeProvider time, ILogger<LiveUpdates> logger) : IAsyncDisposable, IDisposable
{
    public const string HttpClientName = "intentvision-events";
    public const string OrganizationHeader = "X-IntentVision-Organization";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger = logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OrganizationStream> _streams = new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="handler"/> for every event of the organization until the returned subscription is disposed.</summary>
    public IDisposable Subscribe(string organizationId, Func<LiveEvent, Task> handler)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue(organizationId, out var stream))
            {
                stream = new OrganizationStream(this, organizationId);
                _streams[organizationId] = stream;
                stream.Start();
            }

            return stream.Add(handler);
        }
    }

    /// <summary>Whether the stream of an organization is connected now (the page says "live" rather than "refreshes every 10 s").</summary>
    public bool IsConnected(string organizationId)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(organizationId, out var stream) && stream.Connected;
        }
    }

    private void Release(OrganizationStream stream)
    {
        lock (_gate)
        {
            if (stream.IsEmpty && _streams.GetValueOrDefault(stream.OrganizationId) == stream)
            {
                _streams.Remove(stream.OrganizationId);
                stream.Stop();
            }
        }
    }

    /// <summary>Stops every stream without waiting for it (for containers disposed synchronously).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var stream in _streams.Values)
            {
                stream.Stop();
            }

            _streams.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<OrganizationStream> streams;
        lock (_gate)
        {
            streams = [.. _streams.Values];
            _streams.Clear();
        }

        foreach (var stream in streams)
        {
            stream.Stop();
            await stream.Completion;
        }
    }

    private async Task ReadAsync(OrganizationStream stream, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var client = clients.CreateClient(HttpClientName);
                using var request = new HttpRequestMessage(HttpMethod.Get, "api/events");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                request.Headers.Add(OrganizationHeader, stream.OrganizationId);
                if (configuration[IntentVisionApiClient.ApiKeySetting] is { Length: > 0 } key)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());
                }

                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                stream.Connected = true;
                backoff = TimeSpan.FromSeconds(1);
                await foreach (var e in ServerSentEventReader.ReadAsync(body, cancellationToken))
                {
                    await stream.DispatchAsync(e);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                _logger.LogDebug(e, "The API's event stream for {Organization} dropped; reconnecting in {Backoff}", stream.OrganizationId, backoff);
            }
            finally
            {
                stream.Connected = false;
            }

            try
            {
                await Task.Delay(backoff, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    /// <summary>One organization's connection and the pages listening to it.</summary>
    private sealed class OrganizationStream(LiveUpdates owner, string organizationId)
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Lock _gate = new();
        private readonly List<Func<LiveEvent, Task>> _handlers = [];

        public string OrganizationId { get; } = organizationId;

        public volatile bool Connected;

        public Task Completion { get; private set; } = Task.CompletedTask;

        public bool IsEmpty
        {
            get
            {
                lock (_gate)
                {
                    return _handlers.Count == 0;
                }
            }
        }

        public void Start() => Completion = owner.ReadAsync(this, _stop.Token);

        public void Stop() => _stop.Cancel();

        public IDisposable Add(Func<LiveEvent, Task> handler)
        {
            lock (_gate)
            {
                _handlers.Add(handler);
            }

            return new Subscription(this, handler);
        }

        public async Task DispatchAsync(LiveEvent e)
        {
            Func<LiveEvent, Task>[] handlers;
            lock (_gate)
            {
                handlers = [.. _handlers];
            }

            foreach (var handler in handlers)
            {
                try
                {
                    await handler(e);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One page failing (its circuit went away) must not stop the others' updates.
                    owner._logger.LogDebug(ex, "A page's live update handler failed");
                }
            }
        }

        private void Remove(Func<LiveEvent, Task> handler)
        {
            lock (_gate)
            {
                _handlers.Remove(handler);
            }

            owner.Release(this);
        }

        private sealed class Subscription(OrganizationStream stream, Func<LiveEvent, Task> handler) : IDisposable
        {
            private int _disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    stream.Remove(handler);
                }
            }
        }
    }
}
