namespace IntentVision.LibSql.Remote;

/// <summary>
/// The server-side stream behind one transaction. BEGIN is sent lazily with the first command, so a transaction
/// costs no extra round trip; the baton chains the requests; a failure that loses or ends the stream breaks the
/// transaction, so no later command can run outside it by accident.
/// </summary>
internal sealed class RemoteTransactionState
{
    public RemoteTransactionState(string beginStatement)
    {
        BeginStatement = beginStatement;
    }

    public string BeginStatement { get; }

    /// <summary>The baton of the open stream; null before the first request and after the stream is closed or lost.</summary>
    public string? Baton { get; set; }

    public string? BaseUrl { get; set; }

    public bool Begun { get; set; }

    /// <summary>Why the transaction can no longer commit, once something ended it behind our back.</summary>
    public LibSqlException? Broken { get; private set; }

    public bool Completed { get; set; }

    /// <summary>A reader streaming through this stream (a <c>/v3/cursor</c>): it must let go before the next request.</summary>
    public CursorResults? Cursor { get; set; }

    public void Break(LibSqlException reason, bool streamLost)
    {
        Broken ??= reason;
        if (streamLost)
        {
            Baton = null;
        }
    }
}
