using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IntentVision.LibSql.Remote;

namespace IntentVision.LibSql.Hrana;

/// <summary>
/// Sends Hrana pipelines over HTTP to one server. Owns the data source's single <see cref="HttpClient"/> (pooled,
/// keep-alive connections), speaks <c>/v3/pipeline</c> and falls back to <c>/v2/pipeline</c> once if the server has
/// no v3. The token goes only into the Authorization header: it is never part of a message, a tag or a log.
/// </summary>
internal sealed partial class HranaPipelineClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;
    private readonly string _displayUrl;
    private readonly Uri _v3Pipeline;
    private readonly Uri _v2Pipeline;
    private readonly Uri _v3Cursor;
    private readonly CircuitBreaker? _breaker;
    private volatile bool _useV2;
    private volatile bool _v3Answered;

    public HranaPipelineClient(Uri endpoint, string? authToken, string displayUrl, HttpMessageHandler? handler = null, CircuitBreaker? breaker = null, bool? compressResponses = null)
    {
        _displayUrl = displayUrl;
        _breaker = breaker;
        var baseUri = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _v3Pipeline = new Uri(baseUri, "v3/pipeline");
        _v2Pipeline = new Uri(baseUri, "v2/pipeline");
        _v3Cursor = new Uri(baseUri, "v3/cursor");
        _http = new HttpClient(handler ?? CreateHandler(compressResponses ?? endpoint.Scheme == Uri.UriSchemeHttps), disposeHandler: true)
        {
            // Every call carries its own deadline through its CancellationToken.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            // Over TLS, HTTP/2 multiplexes concurrent commands on one connection; plain http stays on 1.1 keep-alive.
            _http.DefaultRequestVersion = HttpVersion.Version20;
            _http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        }

        if (!string.IsNullOrEmpty(authToken))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", authToken);
        }
    }

    /// <summary>The circuit breaker every request passes, if the data source has one.</summary>
    public CircuitBreaker? Breaker => _breaker;

    /// <summary>False after falling back to Hrana 2, which lacks the <c>is_autocommit</c> condition.</summary>
    public bool SupportsHrana3 => !_useV2;

    /// <summary>
    /// True once the server has answered a <c>/v3/pipeline</c> request: until then a request may yet fall back to Hrana 2,
    /// which has no <c>get_autocommit</c>, so only then may requests leave their streams open (<see cref="Remote.IdleStreamPool"/>).
    /// </summary>
    public bool Hrana3Confirmed => _v3Answered && !_useV2;

    public async ValueTask<HranaPipelineResponse> SendAsync(
        string? baton,
        string? baseUrl,
        IReadOnlyList<HranaRequest> requests,
        bool async,
        CancellationToken cancellationToken)
    {
        using var body = new PooledBufferWriter();
        HranaJsonWriter.WritePipeline(body, baton, requests);
        while (true)
        {
            var useV2 = _useV2;
            var uri = baseUrl is null ? (useV2 ? _v2Pipeline : _v3Pipeline) : EndpointUri(baseUrl, useV2 ? "v2/pipeline" : "v3/pipeline");
            using var response = await PostAsync(uri, body, async, cancellationToken).ConfigureAwait(false);
            if (response.Status == HttpStatusCode.OK)
            {
                if (!useV2)
                {
                    _v3Answered = true;
                }

                return HranaJsonParser.ParsePipeline(response.Body.WrittenSpan);
            }

            if (response.Status == HttpStatusCode.NotFound && !useV2 && baseUrl is null)
            {
                // No v3 on this server: nothing ran, so the same body is sent to v2 (a subset of v3 as we use it).
                _useV2 = true;
                continue;
            }

            throw HttpFailure(response.Status, response.Body.WrittenSpan);
        }
    }

    /// <summary>
    /// Runs a batch through <c>/v3/cursor</c>, whose results stream as lines instead of one JSON document, so results
    /// bigger than the server's pipeline response limit (RESPONSE_TOO_LARGE) still arrive. The stream stays open:
    /// the caller closes it with the returned baton.
    /// </summary>
    public async ValueTask<HranaPipelineResponse> SendCursorAsync(
        string? baton,
        string? baseUrl,
        IReadOnlyList<HranaBatchStep> steps,
        bool async,
        CancellationToken cancellationToken)
    {
        using var body = new PooledBufferWriter();
        HranaJsonWriter.WriteCursor(body, baton, steps);
        var uri = baseUrl is null ? _v3Cursor : EndpointUri(baseUrl, "v3/cursor");
        using var response = await PostAsync(uri, body, async, cancellationToken).ConfigureAwait(false);
        if (response.Status != HttpStatusCode.OK)
        {
            throw HttpFailure(response.Status, response.Body.WrittenSpan);
        }

        return HranaJsonParser.ParseCursor(response.Body.WrittenSpan, steps.Count);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The pooled handler; without decompression it sends no Accept-Encoding, and the server does not compress.</summary>
    private static SocketsHttpHandler CreateHandler(bool compressResponses) => new()
    {
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = compressResponses ? DecompressionMethods.All : DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
    };

    private static Uri EndpointUri(string baseUrl, string path)
    {
        var root = baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
        return new Uri(new Uri(root), path);
    }

    private async ValueTask<BufferedResponse> PostAsync(Uri uri, PooledBufferWriter body, bool async, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ReadOnlyMemoryContent(body.WrittenMemory),
        };
        request.Content.Headers.ContentType = JsonContentType;

        var response = await SendAsync(request, async, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var length = response.Content.Headers.ContentLength;
            var buffer = new PooledBufferWriter(length is > 0 and < int.MaxValue ? (int)length.Value + 1 : 16 * 1024);
            try
            {
                var stream = async
                    ? await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)
                    : response.Content.ReadAsStream(cancellationToken);
                await using (stream.ConfigureAwait(false))
                {
                    await buffer.ReadFromAsync(stream, async, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (HttpRequestException ex)
            {
                buffer.Dispose();
                _breaker?.Failed();
                throw TransportFailure(ex);
            }
            catch (IOException ex)
            {
                buffer.Dispose();
                _breaker?.Failed();
                throw new LibSqlException($"The connection to the libSQL server at {_displayUrl} broke while reading the response.", "NETWORK_ERROR", innerException: ex);
            }
            catch (OperationCanceledException)
            {
                buffer.Dispose();
                _breaker?.Abandoned();
                throw;
            }
            catch
            {
                buffer.Dispose();
                throw;
            }

            RecordAnswer(response.StatusCode);
            return new BufferedResponse(response.StatusCode, buffer);
        }
    }

    /// <summary>
    /// Sends a request through the circuit breaker (pipeline and cursor alike, so both count towards opening it and both
    /// fail fast while it is open) and returns once the response's headers are in.
    /// </summary>
    private async ValueTask<HttpResponseMessage> SendAsync(HttpRequestMessage request, bool async, CancellationToken cancellationToken)
    {
        _breaker?.Enter();
        try
        {
            return async
                ? await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false)
                : _http.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            _breaker?.Failed();
            throw TransportFailure(ex);
        }
        catch (OperationCanceledException)
        {
            // A timeout is counted by the executor, which knows it was one; a caller's cancellation says nothing of the server.
            _breaker?.Abandoned();
            throw;
        }
    }

    /// <summary>A gateway's failure counts against the server; any other answer shows it is there.</summary>
    private void RecordAnswer(HttpStatusCode status)
    {
        if (status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
        {
            _breaker?.Failed();
        }
        else
        {
            _breaker?.Succeeded();
        }
    }

    /// <summary>A response read to the end into a pooled buffer, returned to the pool on dispose.</summary>
    private readonly record struct BufferedResponse(HttpStatusCode Status, PooledBufferWriter Body) : IDisposable
    {
        public void Dispose() => Body.Dispose();
    }

    private LibSqlException TransportFailure(HttpRequestException ex)
    {
        var notSent = ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;
        var code = notSent ? "CONNECTION_FAILED" : "NETWORK_ERROR";
        return new LibSqlException($"Could not reach the libSQL server at {_displayUrl}: {ex.Message}", code, innerException: ex)
        {
            RequestNotSent = notSent,
        };
    }

    private LibSqlException HttpFailure(HttpStatusCode status, ReadOnlySpan<byte> body)
    {
        var error = HranaJsonParser.TryParseError(body);
        var detail = error?.Message;
        if (detail is null && body.Length > 0)
        {
            var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 500)]).Trim();
            detail = text.Length == 0 ? null : text;
        }

        var code = error?.Code ?? $"HTTP_{(int)status}";
        var reason = status switch
        {
            HttpStatusCode.Unauthorized => "the auth token is missing, invalid or expired",
            HttpStatusCode.Forbidden => "the auth token does not allow this (a read-only token cannot write)",
            HttpStatusCode.TooManyRequests => "the server is overloaded or has too many open streams",
            HttpStatusCode.BadRequest when code == "STREAM_EXPIRED" => "the stream was idle too long and the server closed it, rolling back its transaction",
            _ => null,
        };
        var message = $"The libSQL server at {_displayUrl} answered {(int)status} {status}"
            + (reason is null ? string.Empty : $": {reason}")
            + (detail is null ? "." : $" ({detail}).");
        // sqld answers an unknown baton in plain text ("Received an invalid baton", "... a baton that has already been
        // used", "Stream for this baton was closed") and an expired one as STREAM_EXPIRED, all before running anything.
        var streamUnknown = status == HttpStatusCode.BadRequest
            && (code == "STREAM_EXPIRED" || (error is null && detail is not null && detail.Contains("baton", StringComparison.OrdinalIgnoreCase)));
        return new LibSqlException(message, code) { HttpStatusCode = (int)status, StreamUnknown = streamUnknown };
    }
}
