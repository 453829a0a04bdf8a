namespace IntentVision.Dashboard.Services;

/// <summary>One notification of an alert on one channel: its delivery state and every attempt.</summary>
public sealed record NotificationDto(
    long Id,
    long AlertId,
    string ChannelType,
    string Channel,
    string Event,
    string Status,
    int Attempts,
    string? LastError,
    int? LastStatusCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset DeadlineAt,
    DateTimeOffset? FinishedAt,
    List<NotificationAttemptDto> History);

public sealed record NotificationAttemptDto(long OutboxId, int Attempt, string Outcome, string? Error, int? StatusCode, double DurationMs, DateTimeOffset At);

/// <summary>An alert with its notifications (GET /api/alerts/{id}).</summary>
public sealed record AlertDetailsDto(AlertDto Alert, List<NotificationDto> Notifications);
