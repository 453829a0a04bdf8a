using System.Buffers;

namespace IntentVision.LibSql.Hrana;

/// <summary>
/// Cuts a cursor response into its lines as the bytes arrive, through one pooled buffer that holds the unread part
/// of the stream: at most one line (one entry) plus what the last read brought, never the response. A line longer
/// than the buffer (a row with a large blob) grows it to fit.
/// </summary>
internal sealed class CursorLineReader : IDisposable
{
    private const int InitialSize = 64 * 1024;

    private Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _start;
    private int _end;
    private int _scanned;
    private bool _atEnd;

    public CursorLineReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>
    /// The next line without its newline, or false at the end of the stream. The bytes stay valid until the next
    /// call. <paramref name="readTimeout"/> arms a deadline around each network read (see <see cref="HranaCursor"/>).
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(bool async, Action<bool>? readTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _scanned + newline;
                var line = _buffer.AsMemory(_start, lineEnd - _start);
                _start = _scanned = lineEnd + 1;
                return line;
            }

            _scanned = _end;
            if (_atEnd)
            {
                if (_start == _end)
                {
                    return null;
                }

                // A last line without its newline.
                var rest = _buffer.AsMemory(_start, _end - _start);
                _start = _scanned = _end;
                return rest;
            }

            MakeRoom();
            readTimeout?.Invoke(true);
            int read;
            try
            {
                read = async
                    ? await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false)
                    : _stream.Read(_buffer, _end, _buffer.Length - _end);
            }
            finally
            {
                readTimeout?.Invoke(false);
            }

            if (read == 0)
            {
                _atEnd = true;
            }

            _end += read;
        }
    }

    /// <summary>
    /// Reads the rest of the stream into memory and reads on from there, so the network stream can be released while
    /// lines are still to be read (a transaction's next command needs the stream the cursor holds).
    /// </summary>
    public async ValueTask<Stream> DetachAsync(bool async, CancellationToken cancellationToken)
    {
        var rest = new MemoryStream();
        if (async)
        {
            await _stream.CopyToAsync(rest, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _stream.CopyTo(rest);
        }

        rest.Position = 0;
        var network = _stream;
        _stream = rest;
        return network;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _start = _end = _scanned = 0;
        _atEnd = true;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the unread bytes to the front, and grows the buffer only when one line fills all of it.</summary>
    private void MakeRoom()
    {
        if (_start > 0)
        {
            var unread = _end - _start;
            _buffer.AsSpan(_start, unread).CopyTo(_buffer);
            _scanned -= _start;
            _end = unread;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }
}
