using System.Threading.Channels;

namespace IntentVision.Api.Events;

/// <summary>
/// One open stream's view of an organization's events: a bounded buffer that drops the oldest event when full
/// (a slow reader never blocks a publisher) and remembers how many it dropped. Dispose to unsubscribe.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private readonly Channel<ApiEvent> _buffer;
    private readonly Action<EventSubscription> _unsubscribe;
    private long _dropped;
    private int _disposed;

    internal EventSubscription(string organizationId, int capacity, Action<EventSubscription> unsubscribe)
    {
        OrganizationId = organizationId;
        _unsubscribe = unsubscribe;
        _buffer = Channel.CreateBounded<ApiEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false },
            _ => Interlocked.Increment(ref _dropped));
    }

    public string OrganizationId { get; }

    internal void Offer(ApiEvent e) => _buffer.Writer.TryWrite(e);

    /// <summary>Waits until an event is buffered; false once the subscription is disposed.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _buffer.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>The next buffered event; a <see cref="ResyncEvent"/> first when events were dropped since the last read.</summary>
    public bool TryRead(out ApiEvent? e)
    {
        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            e = new ResyncEvent(dropped);
            return true;
        }

        if (_buffer.Reader.TryRead(out var next))
        {
            e = next;
            return true;
        }

        e = null;
        return false;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _buffer.Writer.TryComplete();
            _unsubscribe(this);
        }
    }
}
