using System.Text;
using System.Text.Json;
using IntentVision.Api.Alerting;
using IntentVision.Api.Egress;

namespace IntentVision.Api.Notifications;

/// <summary>A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): <c>{"text": "*title*\ntext"}</c>.</summary>
public sealed class SlackSender(EgressHttpClient http) : INotificationSender
{
    public string ChannelType => "slack";

    public async Task<SendResult> SendAsync(NotificationChannel channel, NotificationMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new { text = $"*{message.Title(channel)}*\n{message.Text(channel)}" });
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return await HttpDelivery.SendAsync(http, request, 64 * 1024, timeout, cancellationToken);
    }
}
