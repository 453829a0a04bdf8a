using System.Net.Http.Json;

namespace IntentVision.Dashboard.Services;

public sealed partial class IntentVisionApiClient
{
    /// <summary>Series whose metric key contains <paramref name="search"/> and whose dimensions include all of <paramref name="dimensions"/>.</summary>
    public async Task<IReadOnlyList<SeriesDto>> SearchSeriesAsync(string organizationId, string? search, IReadOnlyDictionary<string, string>? dimensions, CancellationToken cancellationToken = default)
    {
        var parameters = new List<(string, string?)> { ("search", string.IsNullOrWhiteSpace(search) ? null : search.Trim()) };
        parameters.AddRange((dimensions ?? new Dictionary<string, string>()).Select(d => ("dim." + d.Key, (string?)d.Value)));
        return await http.GetFromJsonAsync<List<SeriesDto>>(WithQuery(Org(organizationId, "series"), parameters), cancellationToken) ?? [];
    }

    public Task<SeriesDto?> GetOneSeriesAsync(string organizationId, long seriesId, CancellationToken cancellationToken = default)
        => GetOrNullAsync<SeriesDto>(Org(organizationId, $"series/{seriesId}"), cancellationToken);

    /// <summary>
    /// Points for a chart: with a <see cref="ChartResolution.Step"/> the server averages each bucket, else it keeps at
    /// most <see cref="ChartResolution.MaxPoints"/> (the low and high of each bucket), so a year of minute data stays small.
    /// </summary>
    public Task<SeriesPointsDto?> GetChartPointsAsync(string organizationId, long seriesId, DateTimeOffset? from, DateTimeOffset? to, ChartResolution resolution, CancellationToken cancellationToken = default)
    {
        var parameters = new List<(string, string?)> { ("from", Time(from)), ("to", Time(to)) };
        if (resolution.Step is { } step)
        {
            parameters.Add(("step", step));
            parameters.Add(("agg", "avg"));
        }
        else if (resolution.MaxPoints is { } max)
        {
            parameters.Add(("maxPoints", Number(max)));
        }
        else
        {
            parameters.Add(("limit", Number(resolution.RawLimit)));
        }

        return GetOrNullAsync<SeriesPointsDto>(WithQuery(Org(organizationId, $"series/{seriesId}/points"), parameters), cancellationToken);
    }

    /// <summary>How many points a series has in [from, to): one count per day bucket, summed, so it is one small query.</summary>
    public async Task<long> CountPointsAsync(string organizationId, long seriesId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var url = WithQuery(Org(organizationId, $"series/{seriesId}/points"), [("from", Time(from)), ("to", Time(to)), ("step", "1d"), ("agg", "count")]);
        var points = await GetOrNullAsync<SeriesPointsDto>(url, cancellationToken);
        return points is null ? 0 : (long)points.Points.Sum(p => p.Value);
    }
}
