using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace IntentVision.Dashboard.Services;

/// <summary>
/// The typed client for the IntentVision API; every page reads through it. It authenticates with the key in
/// configuration <c>IntentVisionApi:ApiKey</c> (the AppHost hands the bootstrap admin key over), sent as
/// <c>Authorization: Bearer</c>. That key is the platform admin, so organization data is read through the
/// <c>/api/organizations/{organizationId}/...</c> form of each route.
/// </summary>
public sealed partial class IntentVisionApiClient
{
    public const string ApiKeySetting = "IntentVisionApi:ApiKey";

    private readonly HttpClient http;

    public IntentVisionApiClient(HttpClient http)
    {
        this.http = http;
    }

    [ActivatorUtilitiesConstructor]
    public IntentVisionApiClient(HttpClient http, IConfiguration configuration)
        : this(http)
    {
        var key = configuration[ApiKeySetting];
        if (!string.IsNullOrWhiteSpace(key) && http.DefaultRequestHeaders.Authorization is null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());
        }
    }

    public async Task<MigrationStateDto> GetMigrationStateAsync(CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<MigrationStateDto>("api/migrations", cancellationToken)
           ?? throw new ApiUnavailableException("The API returned no migration state.");

    public async Task<IReadOnlyList<OrganizationDto>> GetOrganizationsAsync(CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<OrganizationDto>>("api/organizations", cancellationToken) ?? [];

    public async Task<IReadOnlyList<SeriesDto>> GetSeriesAsync(string organizationId, CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<SeriesDto>>($"api/organizations/{Uri.EscapeDataString(organizationId)}/series", cancellationToken) ?? [];

    public async Task<SeriesPointsDto?> GetPointsAsync(string organizationId, long seriesId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (from is { } f)
        {
            query.Add("from=" + Uri.EscapeDataString(f.ToString("O")));
        }

        if (to is { } t)
        {
            query.Add("to=" + Uri.EscapeDataString(t.ToString("O")));
        }

        var url = $"api/organizations/{Uri.EscapeDataString(organizationId)}/series/{seriesId}/points" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
        using var response = await http.GetAsync(url, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<SeriesPointsDto>(cancellationToken);
    }
}

public sealed class ApiUnavailableException(string message) : Exception(message);
