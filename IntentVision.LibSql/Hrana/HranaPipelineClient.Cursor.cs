using System.Net;

namespace IntentVision.LibSql.Hrana;

/// <summary>The streaming half of the client: a batch through <c>/v3/cursor</c>, its response read as it arrives.</summary>
internal sealed partial class HranaPipelineClient
{
    /// <summary>
    /// Sends a batch to <c>/v3/cursor</c> and returns once the response's first line (the stream's next baton) is in;
    /// the entries are then read from the returned cursor as the server produces them. Null when the server has no
    /// Hrana 3 (404: nothing ran), so the caller takes the pipeline instead. <paramref name="readTimeout"/> bounds each
    /// wait for more of the response.
    /// </summary>
    public async ValueTask<HranaCursor?> OpenCursorAsync(
        string? baton,
        string? baseUrl,
        IReadOnlyList<HranaBatchStep> steps,
        TimeSpan readTimeout,
        bool async,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        using (var body = new PooledBufferWriter())
        {
            HranaJsonWriter.WriteCursor(body, baton, steps);
            using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl is null ? _v3Cursor : EndpointUri(baseUrl, "v3/cursor"))
            {
                Content = new ReadOnlyMemoryContent(body.WrittenMemory),
            };
            request.Content.Headers.ContentType = JsonContentType;

            // The request body is written before the response headers are read, so the body may go once they are.
            response = await SendAsync(request, async, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            RecordAnswer(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await HranaCursor.OpenAsync(response, _displayUrl, readTimeout, async, cancellationToken).ConfigureAwait(false);
            }

            if (response.StatusCode == HttpStatusCode.NotFound && baton is null)
            {
                _useV2 = true;
                response.Dispose();
                return null;
            }

            using var error = new PooledBufferWriter();
            var stream = async
                ? await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)
                : response.Content.ReadAsStream(cancellationToken);
            await error.ReadFromAsync(stream, async, cancellationToken).ConfigureAwait(false);
            throw HttpFailure(response.StatusCode, error.WrittenSpan);
        }
        catch (HttpRequestException ex)
        {
            response.Dispose();
            throw TransportFailure(ex);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
