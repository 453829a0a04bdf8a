namespace IntentVision.Api.Alerting;

/// <summary>
/// How a route's notifications are grouped and timed (Alertmanager's group_by, group_wait, group_interval,
/// repeat_interval). <c>groupBy</c> empty: every alert is its own group.
/// </summary>
public sealed record NotificationSettings(List<string>? GroupBy = null, double? GroupWaitSeconds = null, double? GroupIntervalSeconds = null, double? RepeatIntervalSeconds = null)
{
    public static readonly TimeSpan DefaultGroupWait = TimeSpan.Zero;
    public static readonly TimeSpan DefaultGroupInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultRepeatInterval = TimeSpan.FromHours(4);

    public NotificationTiming Resolve() => new(
        GroupBy ?? [],
        GroupWaitSeconds is { } w ? TimeSpan.FromSeconds(w) : DefaultGroupWait,
        GroupIntervalSeconds is { } i ? TimeSpan.FromSeconds(i) : DefaultGroupInterval,
        RepeatIntervalSeconds is { } r ? TimeSpan.FromSeconds(r) : DefaultRepeatInterval);
}

/// <summary>Resolved grouping and timing of a route.</summary>
public sealed record NotificationTiming(IReadOnlyList<string> GroupBy, TimeSpan GroupWait, TimeSpan GroupInterval, TimeSpan RepeatInterval);

/// <summary>What a rule does when its series stops reporting: <c>state</c> no_data (default), alerting, ok or keep_last; after <c>afterSeconds</c> without a point.</summary>
public sealed record NoDataSettings(string? State = null, double? AfterSeconds = null);
