namespace IntentVision.Data.Alerts;

/// <summary>The outcome of notifying one channel about one alert event, after all attempts.</summary>
public sealed record AlertDelivery(
    long Id,
    long AlertId,
    string ChannelUrl,
    string Event,
    int Attempts,
    bool Succeeded,
    int? StatusCode,
    string? Error,
    DateTimeOffset CreatedAt);
