using System.Net;
using System.Text;

namespace IntentVision.Dashboard.Tests;

/// <summary>
/// Answers the dashboard's API calls with fixed JSON, in the shape the API serves, so a component can be
/// rendered on its own. Keys are "METHOD /path" or "/path" (GET); paths not listed answer 503, as an API
/// that is down would. Requests (with query and body) are recorded for assertions.
/// </summary>
internal sealed class CannedApi(Dictionary<string, string> responses) : HttpMessageHandler
{
    public List<string> Requests { get; } = [];

    public List<(string Method, string Path, string Body)> Sent { get; } = [];

    public bool Down { get; set; }

    /// <summary>Answers to writes: status and JSON body by "METHOD /path".</summary>
    public Dictionary<string, (HttpStatusCode Status, string Json)> Writes { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        Requests.Add(request.RequestUri.PathAndQuery);
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        Sent.Add((request.Method.Method, request.RequestUri.PathAndQuery, body));
        if (Down)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }

        if (request.Method != HttpMethod.Get)
        {
            return Writes.TryGetValue($"{request.Method.Method} {path}", out var write)
                ? Json(write.Status, write.Json, write.Status >= HttpStatusCode.BadRequest ? "application/problem+json" : "application/json")
                : new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }

        return responses.TryGetValue(path, out var json)
            ? Json(HttpStatusCode.OK, json, "application/json")
            : new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType) => new(status)
    {
        Content = new StringContent(json, Encoding.UTF8, mediaType),
    };
}
