using IntentVision.Api.Alerting;

namespace IntentVision.Api.Notifications;

/// <summary>Delivers a message to one kind of channel, within a time limit per attempt.</summary>
public interface INotificationSender
{
    string ChannelType { get; }

    Task<SendResult> SendAsync(NotificationChannel channel, NotificationMessage message, TimeSpan timeout, CancellationToken cancellationToken);
}
