using System.Globalization;

namespace IntentVision.Dashboard.Services;

/// <summary>
/// The time zone the analyst reads times in: UTC (the default) or the browser's own zone. The choice is kept in a
/// cookie, so the prerendered page already shows it and it is remembered across visits; one instance per circuit.
/// </summary>
public sealed class DisplayTimeZone
{
    public const string CookieName = "iv-tz";
    private const string BrowserPrefix = "browser:";

    /// <summary>The browser's IANA zone (e.g. Europe/Berlin) when chosen, else null (UTC).</summary>
    public string? BrowserZoneId { get; private set; }

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public bool IsUtc => BrowserZoneId is null;

    /// <summary>How the page names the zone next to times: "UTC" or the zone's id.</summary>
    public string Label => BrowserZoneId ?? "UTC";

    /// <summary>Raised when the analyst picks another zone; components showing times redraw.</summary>
    public event Action? Changed;

    /// <summary>Takes the remembered choice from the cookie's value ("utc" or "browser:&lt;zone id&gt;").</summary>
    public void Apply(string? cookieValue)
    {
        if (cookieValue is { } value && value.StartsWith(BrowserPrefix, StringComparison.Ordinal)
            && Find(Uri.UnescapeDataString(value[BrowserPrefix.Length..])) is { } zone)
        {
            Zone = zone;
            BrowserZoneId = zone.Id;
        }
        else
        {
            Zone = TimeZoneInfo.Utc;
            BrowserZoneId = null;
        }
    }

    /// <summary>Chooses a zone; returns the cookie value to remember it by.</summary>
    public string Choose(string? browserZoneId)
    {
        var cookie = browserZoneId is null ? "utc" : BrowserPrefix + Uri.EscapeDataString(browserZoneId);
        Apply(cookie);
        Changed?.Invoke();
        return cookie;
    }

    public DateTimeOffset ToDisplay(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone);

    public string Format(DateTimeOffset time, string pattern = "yyyy-MM-dd HH:mm") =>
        ToDisplay(time).ToString(pattern, CultureInfo.InvariantCulture);

    public string Format(DateTimeOffset? time, string pattern = "yyyy-MM-dd HH:mm") => time is { } t ? Format(t, pattern) : "never";

    /// <summary>A UTC <see cref="DateTime"/> (as the charts hold them).</summary>
    public string Format(DateTime utc, string pattern = "yyyy-MM-dd HH:mm") =>
        Format(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), pattern);

    private static TimeZoneInfo? Find(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }
}
