using System.Globalization;

namespace IntentVision.Dashboard.Services;

/// <summary>
/// What the metrics explorer shows, all of it in the URL so a link reproduces the view and the browser's back and
/// forward step through zooms: the range preset or an exact window (from, to), the resolution, the series overlaid
/// (compare) and the "same series N days earlier" line (shift).
/// </summary>
public sealed record ExplorerView(string RangeKey, string ResolutionKey, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<long> Compare, int ShiftDays)
{
    /// <summary>Lines on one chart at most: the series and seven more, so each keeps a colour that tells it apart.</summary>
    public const int MaxSeries = 8;

    public static readonly IReadOnlyList<int> ShiftChoices = [1, 7, 28];

    public static ExplorerView Default { get; } = new(TimeRange.All.Key, ChartResolution.Auto.Key, null, null, [], 0);

    public TimeRange Range => TimeRange.Find(RangeKey);

    public ChartResolution Resolution => ChartResolution.Find(ResolutionKey);

    /// <summary>Zoomed into an exact window rather than a range preset.</summary>
    public bool IsZoomed => From is not null && To is not null;

    /// <summary>Reads the URL's query values; anything malformed falls back to the default instead of failing the page.</summary>
    public static ExplorerView Parse(string? range, string? resolution, string? from, string? to, string? compare, string? shift)
    {
        var start = ParseTime(from);
        var end = ParseTime(to);
        if (start is null || end is null || end <= start)
        {
            start = end = null;
        }

        var compared = (compare ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (long?)null)
            .OfType<long>().Distinct().Take(MaxSeries - 1).ToList();
        var days = int.TryParse(shift, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && ShiftChoices.Contains(d) ? d : 0;
        return new ExplorerView(TimeRange.Find(range).Key, ChartResolution.Find(resolution).Key, start, end, compared, days);
    }

    /// <summary>The query string (without '?') of this view; defaults are left out so links stay short.</summary>
    public string ToQuery()
    {
        var parts = new List<string>();
        if (IsZoomed)
        {
            parts.Add("from=" + Uri.EscapeDataString(FormatTime(From!.Value)));
            parts.Add("to=" + Uri.EscapeDataString(FormatTime(To!.Value)));
        }
        else if (RangeKey != TimeRange.All.Key)
        {
            parts.Add("range=" + RangeKey);
        }

        if (ResolutionKey != ChartResolution.Auto.Key)
        {
            parts.Add("res=" + ResolutionKey);
        }

        if (Compare.Count > 0)
        {
            parts.Add("compare=" + string.Join(',', Compare.Select(id => id.ToString(CultureInfo.InvariantCulture))));
        }

        if (ShiftDays > 0)
        {
            parts.Add("shift=" + ShiftDays.ToString(CultureInfo.InvariantCulture));
        }

        return string.Join('&', parts);
    }

    public ExplorerView ZoomTo(DateTimeOffset from, DateTimeOffset to) => this with { From = from, To = to };

    /// <summary>The middle half of the window (the keyboard's way to zoom in; the mouse drags).</summary>
    public ExplorerView ZoomIn(DateTimeOffset from, DateTimeOffset to)
    {
        var quarter = (to - from) / 4;
        return ZoomTo(from + quarter, to - quarter);
    }

    /// <summary>The same window twice as wide around its centre.</summary>
    public ExplorerView ZoomOut(DateTimeOffset from, DateTimeOffset to)
    {
        var half = to - from;
        return ZoomTo(from - half / 2, to + half / 2);
    }

    /// <summary>The window moved by half its width (negative: earlier).</summary>
    public ExplorerView Pan(DateTimeOffset from, DateTimeOffset to, int direction)
    {
        var step = (to - from) / 2 * Math.Sign(direction);
        return ZoomTo(from + step, to + step);
    }

    public ExplorerView Reset() => this with { From = null, To = null };

    public ExplorerView WithCompared(long seriesId) =>
        Compare.Contains(seriesId) || Compare.Count >= MaxSeries - 1 ? this : this with { Compare = [.. Compare, seriesId] };

    public ExplorerView WithoutCompared(long seriesId) => this with { Compare = Compare.Where(id => id != seriesId).ToList() };

    /// <summary>Two views are the same when their URLs are (lists compare by content, not by reference).</summary>
    public bool SameAs(ExplorerView? other) => other is not null && ToQuery() == other.ToQuery();

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    private static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
