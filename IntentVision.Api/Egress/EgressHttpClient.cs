using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Egress;

/// <summary>
/// The one HTTP client for requests to tenant-supplied URLs (Prometheus scrapes, webhooks, Slack). Every connection
/// goes through <see cref="EgressConnector"/>; no proxy (it would dial for us, past the check); redirects are not
/// followed; the whole exchange, body included, has a deadline, and the body is read up to a cap whether or not
/// the server sends Content-Length. Failures surface as <see cref="EgressException"/> with a tenant-safe message.
/// </summary>
public sealed class EgressHttpClient : IDisposable
{
    private readonly HttpClient _http;

    public EgressHttpClient(EgressConnector connector, IOptions<EgressOptions> options)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = options.Value.MaxResponseHeadersKilobytes,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = await connector.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };

        // Deadlines are per call (linked tokens below), so the client itself never times out on its own.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads at most <paramref name="maxBodyBytes"/> of the answer within
    /// <paramref name="timeout"/>. Any status is returned; callers decide what a non-2xx means.
    /// </summary>
    public async Task<EgressResponse> SendAsync(HttpRequestMessage request, long maxBodyBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.Content.Headers.ContentLength > maxBodyBytes)
            {
                throw new EgressException(EgressFailure.BadResponse, $"the answer is larger than {maxBodyBytes} bytes", (int)response.StatusCode);
            }

            var body = await ReadCappedAsync(response.Content, maxBodyBytes, (int)response.StatusCode, deadline.Token);
            return new EgressResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EgressException(EgressFailure.TimedOut, $"no complete answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e) when (e.InnerException is EgressException refused)
        {
            throw refused;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new EgressException(EgressFailure.ConnectionFailed, "the connection was refused or the host is unreachable", inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new EgressException(EgressFailure.BadResponse, "the answer was not valid HTTP", inner: e);
        }
        catch (IOException e)
        {
            throw new EgressException(EgressFailure.BadResponse, "the connection broke during the answer", inner: e);
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, long maxBytes, int status, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new EgressException(EgressFailure.BadResponse, $"the answer is larger than {maxBytes} bytes", status);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>An answer read within the caps.</summary>
public sealed record EgressResponse(int StatusCode, string? MediaType, byte[] Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
