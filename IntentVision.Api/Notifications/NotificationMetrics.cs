using System.Diagnostics.Metrics;

namespace IntentVision.Api.Notifications;

/// <summary>
/// The notification meters (<c>IntentVision.Notifications</c>, exported by ServiceDefaults with every IntentVision.* meter):
/// queued, delivered, failed and silenced notifications, and the latency from queueing to delivery, by channel type.
/// </summary>
public sealed class NotificationMetrics : IDisposable
{
    public const string MeterName = "IntentVision.Notifications";

    private readonly Meter _meter;
    private readonly Counter<long> _queued;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _silenced;
    private readonly Histogram<double> _latency;

    public NotificationMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _queued = _meter.CreateCounter<long>("intentvision.notifications.queued", description: "Notifications written to the outbox");
        _delivered = _meter.CreateCounter<long>("intentvision.notifications.delivered", description: "Notifications a receiver accepted");
        _failed = _meter.CreateCounter<long>("intentvision.notifications.failed", description: "Notifications given up (final error, attempts or deadline exhausted)");
        _silenced = _meter.CreateCounter<long>("intentvision.notifications.silenced", description: "Notifications not sent because a silence matched");
        _latency = _meter.CreateHistogram<double>("intentvision.notifications.latency", unit: "s", description: "From queueing to delivery");
    }

    public void Queued(string channelType, int count = 1) => _queued.Add(count, Tag(channelType));

    public void Delivered(string channelType, TimeSpan latency)
    {
        _delivered.Add(1, Tag(channelType));
        _latency.Record(latency.TotalSeconds, Tag(channelType));
    }

    public void Failed(string channelType, int count) => _failed.Add(count, Tag(channelType));

    public void Silenced(string channelType, int count) => _silenced.Add(count, Tag(channelType));

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string channelType) => new("channel.type", channelType);
}
