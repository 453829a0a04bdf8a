namespace IntentVision.Data.Alerts;

/// <summary>
/// One notification in the outbox: an alert event for one channel and group. Status: queued (waiting or between
/// attempts), delivered, failed (attempts ran out, the deadline passed, or the answer was final), silenced.
/// <see cref="LastError"/> is a short category (timed_out, bad_response, ...), never socket detail.
/// </summary>
public sealed record OutboxNotification(
    long Id,
    string OrganizationId,
    long AlertId,
    string ChannelKey,
    string ChannelType,
    string ChannelTarget,
    string GroupKey,
    string Event,
    string Snapshot,
    string Status,
    int Attempts,
    DateTimeOffset DueAt,
    DateTimeOffset DeadlineAt,
    string? LastError,
    int? LastStatusCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt);

/// <summary>One attempt to deliver a notification.</summary>
public sealed record NotificationAttempt(long OutboxId, int Attempt, string Outcome, string? Error, int? StatusCode, double DurationMs, DateTimeOffset At);

/// <summary>A notification with its attempts, as the API shows an alert's delivery history.</summary>
public sealed record NotificationHistory(OutboxNotification Notification, IReadOnlyList<NotificationAttempt> Attempts);

/// <summary>How one attempt at a group's message ended.</summary>
/// <param name="Outcome">delivered, retrying (then <paramref name="RetryAt"/>) or failed.</param>
public sealed record AttemptResult(string Outcome, string? Error, int? StatusCode, TimeSpan Duration, DateTimeOffset? RetryAt = null);

/// <summary>A channel with notifications due, and its organization (for fair scheduling).</summary>
public sealed record DueChannel(string ChannelKey, string OrganizationId);
