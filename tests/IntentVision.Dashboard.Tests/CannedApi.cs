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

    /// <summary>The body of GET /api/events while set: what a test writes to it reaches the dashboard as pushed events.</summary>
    public System.IO.Pipelines.Pipe? Events { get; set; }

    /// <summary>Answers changed by a test after the page loaded (the API's data moved on).</summary>
    public void Answer(string path, string json)
    {
        lock (responses)
        {
            responses[path] = json;
        }
    }

    /// <summary>Answers to writes: status and JSON body by "METHOD /path".</summary>
    public Dictionary<string, (HttpStatusCode Status, string Json)> Writes { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (responses)
        {
            // Pages, sparklines and the event stream ask concurrently.
            Requests.Add(request.RequestUri.PathAndQuery);
            Sent.Add((request.Method.Method, request.RequestUri.PathAndQuery, body));
        }

        if (Down)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }

        if (path == "/api/events" && Events is { } events)
        {
            var stream = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(events.Reader.AsStream()) };
            stream.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return stream;
        }

        if (request.Method != HttpMethod.Get)
        {
            return Writes.TryGetValue($"{request.Method.Method} {path}", out var write)
                ? Json(write.Status, write.Json, write.Status >= HttpStatusCode.BadRequest ? "application/problem+json" : "application/json")
                : new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }

        lock (responses)
        {
            if (!responses.TryGetValue(path, out var answer))
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            }

            return Json(HttpStatusCode.OK, answer, "application/json");
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType) => new(status)
    {
        Content = new StringContent(json, Encoding.UTF8, mediaType),
    };
}
