using System.Net.Http.Json;

namespace IntentVision.Dashboard.Services;

// An alert's notifications, and silences.
public sealed partial class IntentVisionApiClient
{
    /// <summary>The alert with its notifications; null when the organization has no such alert.</summary>
    public Task<AlertDetailsDto?> GetAlertDetailsAsync(string organizationId, long alertId, CancellationToken cancellationToken = default)
        => GetOrNullAsync<AlertDetailsDto>(Org(organizationId, $"alerts/{alertId}"), cancellationToken);

    public async Task<IReadOnlyList<SilenceDto>> ListSilencesAsync(string organizationId, CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<SilenceDto>>(Org(organizationId, "silences"), cancellationToken) ?? [];

    public Task<ApiWriteResult<SilenceDto>> CreateSilenceAsync(string organizationId, SilenceRequest silence, CancellationToken cancellationToken = default)
        => SendAsync<SilenceDto>(HttpMethod.Post, Org(organizationId, "silences"), silence, cancellationToken);

    public Task<ApiWriteResult<SilenceDto>> ExpireSilenceAsync(string organizationId, long silenceId, CancellationToken cancellationToken = default)
        => SendAsync<SilenceDto>(HttpMethod.Post, Org(organizationId, $"silences/{silenceId}/expire"), null, cancellationToken);
}
