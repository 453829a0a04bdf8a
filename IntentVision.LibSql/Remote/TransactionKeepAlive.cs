using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Remote;

/// <summary>
/// Keeps a transaction's server stream alive while a cursor streams its rows. sqld hands the stream back (with a new
/// baton) as soon as a cursor's response starts, and expires a stream after 10 s without a request; the rows keep
/// coming regardless, but the transaction would be gone when the reader finishes. An empty pipeline on the baton
/// every few seconds renews it without touching the database (the stream's connection is busy with the cursor, so
/// a statement would wait for it). Stopped, and awaited, before anything else uses the baton.
/// </summary>
internal sealed class TransactionKeepAlive
{
    /// <summary>Well inside the server's 10 s (which it rounds up to the next whole second).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(4);

    private readonly HranaPipelineClient _client;
    private readonly RemoteTransactionState _transaction;
    private readonly TimeSpan _requestTimeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TransactionKeepAlive(HranaPipelineClient client, RemoteTransactionState transaction, TimeSpan requestTimeout)
    {
        _client = client;
        _transaction = transaction;
        _requestTimeout = requestTimeout;
        _loop = RunAsync();
    }

    /// <summary>Stops renewing; a renewal in flight finishes first, so the transaction's baton is current afterwards.</summary>
    public async ValueTask StopAsync(bool async)
    {
        if (async)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }
        else
        {
            _stop.Cancel();
            _loop.GetAwaiter().GetResult();
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (true)
        {
            try
            {
                await Task.Delay(Interval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_transaction.Baton is not { } baton)
            {
                return;
            }

            // Not cancelled by Stop: a renewal cut off half-way would leave the baton unknown.
            using var deadline = _requestTimeout > TimeSpan.Zero ? new CancellationTokenSource(_requestTimeout) : null;
            try
            {
                var response = await _client.SendAsync(baton, _transaction.BaseUrl, [], async: true, deadline?.Token ?? CancellationToken.None).ConfigureAwait(false);
                _transaction.Baton = response.Baton;
                _transaction.BaseUrl = response.BaseUrl ?? _transaction.BaseUrl;
            }
            catch (LibSqlException ex)
            {
                _transaction.Break(ex, streamLost: true);
                return;
            }
            catch (OperationCanceledException ex)
            {
                _transaction.Break(new LibSqlException("Keeping the transaction's stream alive timed out; its state on the server is unknown.", "TIMEOUT", innerException: ex), streamLost: true);
                return;
            }
        }
    }
}
