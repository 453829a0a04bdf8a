using System.Buffers;
using IntentVision.Api.Infrastructure;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// A whole request body read into a buffer rented from <see cref="ArrayPool{T}.Shared"/>, returned on dispose.
/// </summary>
/// <remarks>
/// An ingest body of 1,000 points is about 100 KB: read into a fresh array (and copied out of a growing stream) each
/// request made two large-object-heap allocations per call, and the API benchmark saw a gen2 collection for every gen0
/// one, with the background GC's marking taking CPU from ingest. A rented buffer is reused across requests.
/// </remarks>
public sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The body's bytes; valid until the body is disposed.</summary>
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, _length);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(RequestBody));

    /// <summary>Reads a whole request body up to <paramref name="limit"/> bytes; a larger one is refused with 413 without reading it all.</summary>
    public static async Task<RequestBody> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
        {
            throw TooLarge(limit);
        }

        // One byte more than declared, so that the end of the body is seen without growing the buffer.
        var initial = request.ContentLength is { } length ? (int)Math.Min(length + 1, limit + 1) : 16 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 1));
        var filled = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
                if (filled > limit)
                {
                    throw TooLarge(limit);
                }

                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return new RequestBody(buffer, filled);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ApiProblemException TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"At most {limit} bytes are accepted here.");
}
