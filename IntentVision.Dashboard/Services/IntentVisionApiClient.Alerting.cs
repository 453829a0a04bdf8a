using System.Net.Http.Json;

namespace IntentVision.Dashboard.Services;

// Alerts, alert rules and ingestion sources.
public sealed partial class IntentVisionApiClient
{
    public async Task<IReadOnlyList<AlertDto>> ListAlertsAsync(string organizationId, string? state, int limit, CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<AlertDto>>(WithQuery(Org(organizationId, "alerts"), [("state", state), ("limit", Number(limit))]), cancellationToken) ?? [];

    public Task<ApiWriteResult<AlertDto>> AcknowledgeAlertAsync(string organizationId, long alertId, CancellationToken cancellationToken = default)
        => SendAsync<AlertDto>(HttpMethod.Post, Org(organizationId, $"alerts/{alertId}/acknowledge"), null, cancellationToken);

    /// <summary>Resolves an alert by hand; an API without that route answers 404/405, which the page reports as not offered.</summary>
    public Task<ApiWriteResult<AlertDto>> ResolveAlertAsync(string organizationId, long alertId, CancellationToken cancellationToken = default)
        => SendAsync<AlertDto>(HttpMethod.Post, Org(organizationId, $"alerts/{alertId}/resolve"), null, cancellationToken);

    public async Task<IReadOnlyList<AlertRuleDto>> ListAlertRulesAsync(string organizationId, CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<AlertRuleDto>>(Org(organizationId, "alert-rules"), cancellationToken) ?? [];

    public Task<ApiWriteResult<AlertRuleDto>> CreateAlertRuleAsync(string organizationId, AlertRuleRequest rule, CancellationToken cancellationToken = default)
        => SendAsync<AlertRuleDto>(HttpMethod.Post, Org(organizationId, "alert-rules"), rule, cancellationToken);

    public Task<ApiWriteResult<AlertRuleDto>> ReplaceAlertRuleAsync(string organizationId, long ruleId, AlertRuleRequest rule, CancellationToken cancellationToken = default)
        => SendAsync<AlertRuleDto>(HttpMethod.Put, Org(organizationId, $"alert-rules/{ruleId}"), rule, cancellationToken);

    public Task<ApiWriteResult<object>> DeleteAlertRuleAsync(string organizationId, long ruleId, CancellationToken cancellationToken = default)
        => SendAsync<object>(HttpMethod.Delete, Org(organizationId, $"alert-rules/{ruleId}"), null, cancellationToken);

    public async Task<IReadOnlyList<SourceDto>> ListSourcesAsync(string organizationId, CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<SourceDto>>(Org(organizationId, "sources"), cancellationToken) ?? [];

    public Task<ApiWriteResult<CreatedSourceDto>> CreateSourceAsync(string organizationId, CreateSourceRequest source, CancellationToken cancellationToken = default)
        => SendAsync<CreatedSourceDto>(HttpMethod.Post, Org(organizationId, "sources"), source, cancellationToken);
}
