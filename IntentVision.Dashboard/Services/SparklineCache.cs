namespace IntentVision.Dashboard.Services;

/// <summary>
/// The points around an anomaly or alert, for the sparklines in table rows. A grid redraws on every refresh; the
/// surroundings of a past moment rarely change, so one circuit asks the API once a minute at most per row.
/// </summary>
public sealed class SparklineCache(IntentVisionApiClient api, TimeProvider time)
{
    /// <summary>A sparkline is about 100 px wide; more points than that are not seen.</summary>
    public const int MaxPoints = 120;

    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);

    private readonly Dictionary<(string, long, DateTimeOffset, TimeSpan), (DateTimeOffset At, Task<IReadOnlyList<PointDto>> Points)> _entries = [];

    /// <summary>Points of a series in the window centred on <paramref name="around"/>.</summary>
    public Task<IReadOnlyList<PointDto>> GetAsync(string organizationId, long seriesId, DateTimeOffset around, TimeSpan window, CancellationToken cancellationToken)
    {
        var key = (organizationId, seriesId, around, window);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && now - entry.At < Freshness && !entry.Points.IsFaulted && !entry.Points.IsCanceled)
        {
            return entry.Points;
        }

        if (_entries.Count > 2_000)
        {
            _entries.Clear();
        }

        var points = LoadAsync(organizationId, seriesId, around - window / 2, around + window / 2, cancellationToken);
        _entries[key] = (now, points);
        return points;
    }

    private async Task<IReadOnlyList<PointDto>> LoadAsync(string organizationId, long seriesId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var points = await api.GetChartPointsAsync(organizationId, seriesId, from, to, ChartResolution.Auto with { MaxPoints = MaxPoints }, cancellationToken);
        return points?.Points ?? [];
    }
}
