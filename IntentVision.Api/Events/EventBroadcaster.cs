using System.Collections.Immutable;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Events;

/// <summary>
/// Fans events out to the open event streams of an organization, in process. Publishing never waits: each
/// subscriber has its own bounded buffer (see <see cref="EventSubscription"/>). Usage where something happens:
/// <c>events.Publish(organizationId, new AnomalyDetectedEvent(seriesId, count, latest));</c>
/// </summary>
public sealed class EventBroadcaster(IOptions<EventStreamOptions> options)
{
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, ImmutableArray<EventSubscription>> _subscribers = ImmutableDictionary<string, ImmutableArray<EventSubscription>>.Empty.WithComparers(StringComparer.Ordinal);
    private int _count;

    /// <summary>Open subscriptions over all organizations.</summary>
    public int SubscriberCount => Volatile.Read(ref _count);

    public void Publish(string organizationId, ApiEvent e)
    {
        // Read without the lock: the dictionary is immutable, replaced whole on every (rare) subscribe.
        if (Volatile.Read(ref _subscribers).TryGetValue(organizationId, out var subscriptions))
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Offer(e);
            }
        }
    }

    /// <summary>A subscription to an organization's events, or null when the API already holds its maximum of streams.</summary>
    public EventSubscription? TrySubscribe(string organizationId)
    {
        var settings = options.Value;
        lock (_gate)
        {
            if (_count >= settings.MaxSubscribers)
            {
                return null;
            }

            var subscription = new EventSubscription(organizationId, Math.Max(1, settings.BufferSize), Unsubscribe);
            var existing = _subscribers.GetValueOrDefault(organizationId, ImmutableArray<EventSubscription>.Empty);
            Volatile.Write(ref _subscribers, _subscribers.SetItem(organizationId, existing.Add(subscription)));
            _count++;
            return subscription;
        }
    }

    private void Unsubscribe(EventSubscription subscription)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(subscription.OrganizationId, out var existing) || !existing.Contains(subscription))
            {
                return;
            }

            var remaining = existing.Remove(subscription);
            Volatile.Write(ref _subscribers, remaining.IsEmpty ? _subscribers.Remove(subscription.OrganizationId) : _subscribers.SetItem(subscription.OrganizationId, remaining));
            _count--;
        }
    }
}
