namespace IntentVision.Data.Alerts;

/// <summary>
/// A notification to queue in the outbox for one alert event on one channel. Its due time follows the group's
/// timing: <see cref="GroupWait"/> after the first event of a new group, else the group interval after the group's
/// last notification.
/// </summary>
public sealed record NewNotification(
    string ChannelKey,
    string ChannelType,
    string ChannelTarget,
    string GroupKey,
    IReadOnlyDictionary<string, string> GroupLabels,
    string Event,
    string Snapshot,
    TimeSpan GroupWait,
    TimeSpan GroupInterval,
    TimeSpan DeliveryDeadline);
