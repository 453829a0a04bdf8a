using System.Data.Common;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntentVision.Aspire.Hosting.LibSql;

/// <summary>
/// Healthy when the server runs a statement: a Hrana pipeline request (<c>SELECT 1</c>, then close) with the resource's
/// token, so a server that is up but refuses the token, or whose database cannot be opened, is not reported ready
/// (<c>GET /health</c> answers 200 in both cases). The token is sent, never shown.
/// </summary>
internal sealed class LibSqlHealthCheck(HttpClient http, Func<CancellationToken, ValueTask<string?>> connectionString) : IHealthCheck
{
    private static readonly byte[] Pipeline = Encoding.UTF8.GetBytes(
        """{"requests":[{"type":"execute","stmt":{"sql":"SELECT 1"}},{"type":"close"}]}""");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var text = await connectionString(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(text) || Parse(text) is not var (endpoint, token))
        {
            return HealthCheckResult.Unhealthy("The connection string is not known yet.");
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "v2/pipeline"))
            {
                Content = new ByteArrayContent(Pipeline) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return HealthCheckResult.Unhealthy($"{endpoint} answered {(int)response.StatusCode} {response.StatusCode} to a Hrana request.");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            var first = json.RootElement.GetProperty("results")[0];
            return first.GetProperty("type").GetString() == "ok"
                ? HealthCheckResult.Healthy($"{endpoint} runs statements.")
                : HealthCheckResult.Unhealthy($"{endpoint} could not run SELECT 1: {first.GetProperty("error").GetProperty("message").GetString()}");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"{endpoint} does not answer Hrana requests: {e.Message}");
        }
    }

    /// <summary>The http(s) base address and the token of <c>Data Source=url;Auth Token=jwt</c> or a bare URL.</summary>
    internal static (Uri Endpoint, string? Token)? Parse(string connectionString)
    {
        string url;
        string? token = null;
        if (connectionString.Contains('=', StringComparison.Ordinal) && connectionString.IndexOf('=', StringComparison.Ordinal) < connectionString.IndexOf(':', StringComparison.Ordinal))
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            url = builder.TryGetValue("Data Source", out var source) ? Convert.ToString(source) ?? string.Empty : string.Empty;
            token = builder.TryGetValue("Auth Token", out var value) ? Convert.ToString(value) : null;
        }
        else
        {
            url = connectionString;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var scheme = uri.Scheme switch
        {
            "libsql" or "wss" => Uri.UriSchemeHttps,
            "ws" => Uri.UriSchemeHttp,
            _ => uri.Scheme,
        };
        var endpoint = new UriBuilder(uri) { Scheme = scheme, Port = uri.IsDefaultPort ? -1 : uri.Port, Query = string.Empty }.Uri;
        return (endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/"), string.IsNullOrEmpty(token) ? null : token);
    }
}
