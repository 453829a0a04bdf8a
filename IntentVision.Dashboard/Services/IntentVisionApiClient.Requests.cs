using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace IntentVision.Dashboard.Services;

// The plumbing the feature parts share: organization-scoped URLs, query strings, and writes whose refusals
// (problem details) come back as values for the form to show next to its fields.
public sealed partial class IntentVisionApiClient
{
    private static string Org(string organizationId, string rest) => $"api/organizations/{Uri.EscapeDataString(organizationId)}/{rest}";

    private static string WithQuery(string path, IEnumerable<(string Name, string? Value)> parameters)
    {
        var parts = parameters.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? path : path + "?" + string.Join('&', parts);
    }

    private static string? Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private async Task<T?> GetOrNullAsync<T>(string url, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await http.GetAsync(url, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            // The API's own "no such thing" (problem details); a bare 404 means the route itself is missing.
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
    }

    private async Task<ApiWriteResult<T>> SendAsync<T>(HttpMethod method, string url, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var value = response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0
                ? default
                : await response.Content.ReadFromJsonAsync<T>(cancellationToken);
            return new ApiWriteResult<T>(value, null);
        }

        if ((int)response.StatusCode >= 500)
        {
            response.EnsureSuccessStatusCode();
        }

        ApiProblemDto? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync<ApiProblemDto>(cancellationToken);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not problem details after all; described by the status below.
            }
        }

        problem ??= new ApiProblemDto(null, null, (int)response.StatusCode, null);
        return new ApiWriteResult<T>(default, problem with
        {
            Status = (int)response.StatusCode,
            Title = problem.Title ?? DescribeStatus(response.StatusCode),
        });
    }

    private static string DescribeStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed => "The API does not offer this yet.",
        HttpStatusCode.Unauthorized => "The API refused the dashboard's key.",
        HttpStatusCode.Forbidden => "The dashboard's key may not do this.",
        HttpStatusCode.Conflict => "The API refused: it conflicts with what exists.",
        _ => $"The API answered {(int)status}.",
    };
}
