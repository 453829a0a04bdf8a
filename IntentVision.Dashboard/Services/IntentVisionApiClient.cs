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
}

public sealed class ApiUnavailableException(string message) : Exception(message);
