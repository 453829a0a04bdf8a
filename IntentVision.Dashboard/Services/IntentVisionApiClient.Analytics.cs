using System.Net.Http.Json;

namespace IntentVision.Dashboard.Services;

// Forecasts and anomalies.
public sealed partial class IntentVisionApiClient
{
    public async Task<IReadOnlyList<ForecastDto>> ListForecastsAsync(string organizationId, long? seriesId, int limit, CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<ForecastDto>>(WithQuery(Org(organizationId, "forecasts"), [("seriesId", Number(seriesId)), ("limit", Number(limit))]), cancellationToken) ?? [];

    public Task<ForecastDto?> GetForecastAsync(string organizationId, long forecastId, CancellationToken cancellationToken = default)
        => GetOrNullAsync<ForecastDto>(Org(organizationId, $"forecasts/{forecastId}"), cancellationToken);

    public Task<ApiWriteResult<ForecastDto>> RunForecastAsync(string organizationId, RunForecastRequest request, CancellationToken cancellationToken = default)
        => SendAsync<ForecastDto>(HttpMethod.Post, Org(organizationId, "forecasts"), request, cancellationToken);

    public async Task<IReadOnlyList<AnomalyDto>> ListAnomaliesAsync(string organizationId, AnomalyQuery query, CancellationToken cancellationToken = default)
    {
        var url = WithQuery(Org(organizationId, "anomalies"),
        [
            ("seriesId", Number(query.SeriesId)),
            ("severity", query.Severity),
            ("from", Time(query.From)),
            ("to", Time(query.To)),
            ("acknowledged", query.Acknowledged is { } a ? (a ? "true" : "false") : null),
            ("limit", Number(query.Limit)),
        ]);
        return await http.GetFromJsonAsync<List<AnomalyDto>>(url, cancellationToken) ?? [];
    }

    public Task<ApiWriteResult<AnomalyDto>> AcknowledgeAnomalyAsync(string organizationId, long anomalyId, CancellationToken cancellationToken = default)
        => SendAsync<AnomalyDto>(HttpMethod.Post, Org(organizationId, $"anomalies/{anomalyId}/acknowledge"), null, cancellationToken);

    public Task<AnomalyDto?> GetAnomalyAsync(string organizationId, long anomalyId, CancellationToken cancellationToken = default)
        => GetOrNullAsync<AnomalyDto>(Org(organizationId, $"anomalies/{anomalyId}"), cancellationToken);

    /// <summary>Marks an anomaly "not an anomaly"; the series' detection then suppresses that pattern.</summary>
    public Task<ApiWriteResult<AnomalyDto>> MarkNotAnomalyAsync(string organizationId, long anomalyId, string? comment, CancellationToken cancellationToken = default)
        => SendAsync<AnomalyDto>(HttpMethod.Post, Org(organizationId, $"anomalies/{anomalyId}/feedback"), new AnomalyFeedbackRequest(AnomalyFeedbackDto.NotAnomaly, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim()), cancellationToken);

    /// <summary>Withdraws the analyst's verdict.</summary>
    public Task<ApiWriteResult<AnomalyDto>> ClearFeedbackAsync(string organizationId, long anomalyId, CancellationToken cancellationToken = default)
        => SendAsync<AnomalyDto>(HttpMethod.Delete, Org(organizationId, $"anomalies/{anomalyId}/feedback"), null, cancellationToken);
}
