namespace IntentVision.Api.Alerting;

/// <summary>
/// When a rule must not open alerts or notify: an absolute window [from, to), or a daily UTC window
/// <c>dailyStart</c>-<c>dailyEnd</c> ("HH:mm"; it may cross midnight).
/// </summary>
public sealed record SuppressionWindow(DateTimeOffset? From = null, DateTimeOffset? To = null, string? DailyStart = null, string? DailyEnd = null)
{
    public bool Covers(DateTimeOffset now)
    {
        if (From is { } from && To is { } to)
        {
            return now >= from && now < to;
        }

        if (TimeOnly.TryParse(DailyStart, System.Globalization.CultureInfo.InvariantCulture, out var start)
            && TimeOnly.TryParse(DailyEnd, System.Globalization.CultureInfo.InvariantCulture, out var end))
        {
            var t = TimeOnly.FromTimeSpan(now.UtcDateTime.TimeOfDay);
            return start <= end ? t >= start && t < end : t >= start || t < end;
        }

        return false;
    }
}
