namespace IntentVision.LibSql.Tests.Remote;

/// <summary>Records the path of every request on its way to the real server.</summary>
internal sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public List<string> Paths { get; } = [];

    public List<string> Take()
    {
        lock (Paths)
        {
            var taken = Paths.Order(StringComparer.Ordinal).ToList();
            Paths.Clear();
            return taken;
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Paths)
        {
            Paths.Add(request.RequestUri!.AbsolutePath);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
