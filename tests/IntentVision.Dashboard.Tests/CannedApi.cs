using System.Net;
using System.Text;

namespace IntentVision.Dashboard.Tests;

/// <summary>
/// Answers the dashboard's API calls with fixed JSON, in the shape the API serves, so a component can be
/// rendered on its own. Paths not listed answer 503, as an API that is down would.
/// </summary>
internal sealed class CannedApi(Dictionary<string, string> responses) : HttpMessageHandler
{
    public List<string> Requests { get; } = [];

    public bool Down { get; set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.PathAndQuery;
        Requests.Add(path);
        if (Down || !responses.TryGetValue(request.RequestUri.AbsolutePath, out var json))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        });
    }
}
