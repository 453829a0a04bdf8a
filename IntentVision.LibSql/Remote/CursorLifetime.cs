using System.Diagnostics;
using IntentVision.LibSql.Telemetry;

namespace IntentVision.LibSql.Remote;

/// <summary>
/// What a streaming reader holds besides its response, all released when it closes: the span and metrics of the
/// command (they end with the last row, not when ExecuteReader returns), the keep-alive of a transaction's stream, and
/// outside a transaction the request that closes the reader's own stream (sent as soon as the baton is known).
/// </summary>
internal sealed class CursorLifetime(LibSqlInstrumentation instrumentation, Activity? activity, long started, string operation)
{
    private TransactionKeepAlive? _keepAlive;
    private Task? _streamClosing;
    private bool _ended;

    public void KeepAlive(TransactionKeepAlive keepAlive) => _keepAlive = keepAlive;

    public void ClosingStream(Task closing) => _streamClosing = closing;

    public async ValueTask StopKeepAliveAsync(bool async)
    {
        var keepAlive = _keepAlive;
        _keepAlive = null;
        if (keepAlive is not null)
        {
            await keepAlive.StopAsync(async).ConfigureAwait(false);
        }
    }

    public async ValueTask EndAsync(bool async, long rows, Exception? failure)
    {
        await EndWithoutTelemetryAsync(async).ConfigureAwait(false);
        if (!_ended)
        {
            _ended = true;
            instrumentation.Complete(activity, started, operation, rows, failure);
        }
    }

    /// <summary>Releases the stream's helpers but leaves the span open: the command is tried again.</summary>
    public async ValueTask EndWithoutTelemetryAsync(bool async)
    {
        await StopKeepAliveAsync(async).ConfigureAwait(false);
        if (_streamClosing is { } closing)
        {
            _streamClosing = null;
            if (async)
            {
                await closing.ConfigureAwait(false);
            }
            else
            {
                closing.GetAwaiter().GetResult();
            }
        }
    }
}
