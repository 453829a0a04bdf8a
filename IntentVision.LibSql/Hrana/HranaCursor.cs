using System.Net.Http;

namespace IntentVision.LibSql.Hrana;

/// <summary>
/// An open <c>/v3/cursor</c> response, read entry by entry as the server sends it. The server writes each entry as
/// it steps its statement and waits while the client has not read the last one (its queue holds one entry), so a
/// client that reads slowly slows the server instead of filling anyone's memory. Disposing it mid-result drops the
/// HTTP response: the server stops the statement and the stream is free for the next request (its baton came first).
/// </summary>
internal sealed class HranaCursor : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CursorLineReader _lines;
    private readonly string _displayUrl;
    private readonly TimeSpan _readTimeout;
    private readonly CancellationTokenSource? _deadline;
    private readonly Action<bool>? _armDeadline;
    private HranaValue[] _row = new HranaValue[8];
    private int _rowLength;
    private bool _disposed;

    private HranaCursor(HttpResponseMessage response, Stream body, string displayUrl, TimeSpan readTimeout)
    {
        _response = response;
        _lines = new CursorLineReader(body);
        _displayUrl = displayUrl;
        _readTimeout = readTimeout;
        if (readTimeout > TimeSpan.Zero)
        {
            // One deadline per network read. Dropping the response is what interrupts a synchronous read, which has
            // no token; an asynchronous one stops the same way.
            _deadline = new CancellationTokenSource();
            _deadline.Token.Register(static state => ((HttpResponseMessage)state!).Dispose(), response);
            _armDeadline = arm => _deadline.CancelAfter(arm ? _readTimeout : Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The stream's baton after this request (null once the server closed it), from the response's first line.</summary>
    public string? Baton { get; private set; }

    public string? BaseUrl { get; private set; }

    /// <summary>The values of the row the last <see cref="NextAsync"/> returned; overwritten by the next call.</summary>
    public ReadOnlySpan<HranaValue> Row => _row.AsSpan(0, _rowLength);

    /// <summary>True once a network read took longer than the read timeout (the response was dropped then).</summary>
    public bool TimedOut => _deadline?.IsCancellationRequested == true;

    /// <summary>Reads the response's first line (the baton); the caller disposes the response if this throws.</summary>
    public static async ValueTask<HranaCursor> OpenAsync(HttpResponseMessage response, string displayUrl, TimeSpan readTimeout, bool async, CancellationToken cancellationToken)
    {
        var body = async
            ? await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)
            : response.Content.ReadAsStream(cancellationToken);
        var cursor = new HranaCursor(response, body, displayUrl, readTimeout);
        try
        {
            var head = await cursor.ReadLineAsync(async, cancellationToken).ConfigureAwait(false)
                ?? throw new LibSqlException($"The libSQL server at {displayUrl} sent an empty cursor response.", "PROTOCOL_ERROR");
            (cursor.Baton, cursor.BaseUrl) = HranaJsonParser.ParseCursorHead(head.Span);
            return cursor;
        }
        catch
        {
            cursor.Dispose();
            throw;
        }
    }

    /// <summary>The next entry, or null at the end of the response; a row's values are then in <see cref="Row"/>.</summary>
    public async ValueTask<HranaCursorEntry?> NextAsync(bool async, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(async, cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (HranaJsonParser.IsBlank(line.Value.Span))
            {
                continue;
            }

            var entry = HranaJsonParser.ParseCursorEntry(line.Value.Span, ref _row, out _rowLength);
            if (entry.Kind != HranaCursorEntryKind.Other)
            {
                return entry;
            }
        }
    }

    /// <summary>Reads what is left of the response into memory and releases the connection; entries are read on from memory.</summary>
    public async ValueTask DetachAsync(bool async, CancellationToken cancellationToken)
    {
        Stream network;
        try
        {
            _armDeadline?.Invoke(true);
            network = await _lines.DetachAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException)
        {
            throw ReadFailure(ex);
        }
        finally
        {
            _armDeadline?.Invoke(false);
        }

        if (async)
        {
            await network.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            network.Dispose();
        }

        _response.Dispose();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _response.Dispose();
        _deadline?.Dispose();
        _lines.Dispose();
    }

    private async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return await _lines.ReadLineAsync(async, _armDeadline, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException)
        {
            throw ReadFailure(ex);
        }
        catch (OperationCanceledException ex) when (TimedOut && !cancellationToken.IsCancellationRequested)
        {
            throw ReadFailure(ex);
        }
    }

    private LibSqlException ReadFailure(Exception ex) => TimedOut
        ? new LibSqlException($"The libSQL server at {_displayUrl} sent nothing of the result for {_readTimeout.TotalSeconds:0.#} s (the command's timeout).", "TIMEOUT", innerException: new TimeoutException(ex.Message, ex))
        : new LibSqlException($"The connection to the libSQL server at {_displayUrl} broke while reading the result.", "NETWORK_ERROR", innerException: ex);
}
