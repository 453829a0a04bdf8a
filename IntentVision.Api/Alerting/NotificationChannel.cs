namespace IntentVision.Api.Alerting;

/// <summary>
/// Where notifications go. <c>webhook</c>: a JSON POST to <see cref="Url"/> signed with <see cref="Secret"/>
/// (<c>X-IntentVision-Signature: sha256=HMAC-SHA256(secret, "&lt;X-IntentVision-Timestamp&gt;.&lt;body&gt;")</c>);
/// <c>slack</c>: a Slack-compatible incoming webhook at <see cref="Url"/> (<c>{"text": ...}</c>); <c>email</c>: a
/// message to <see cref="To"/> through the SMTP server the operator configured. <see cref="Title"/> and
/// <see cref="Text"/> are optional templates over the notification payload (<c>{{status}}</c>, <c>{{#alerts}}...{{/alerts}}</c>).
/// </summary>
public sealed record NotificationChannel(string? Type, string? Url = null, string? Secret = null, List<string>? To = null, string? Title = null, string? Text = null);
