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

    /// <summary>The stream's place in the data source's <see cref="IdleStreamPool"/>: where it goes when the transaction ends.</summary>
    public StreamLease Lease { get; set; } = StreamLease.OneOff;

    /// <summary>A statement may have changed the stream's connection (a PRAGMA, a temporary table): it is closed at the end, not kept.</summary>
    public bool ConnectionChanged { get; set; }

    public bool Begun { get; set; }

    /// <summary>Why the transaction can no longer commit, once something ended it behind our back.</summary>
    public LibSqlException? Broken { get; private set; }

    public bool Completed { get; set; }

    /// <summary>
    /// SAVEPOINT and RELEASE statements not sent yet: they travel in front of the transaction's next request (a round
    /// trip each saved), and COMMIT or ROLLBACK drops them (both end every savepoint).
    /// </summary>
    public List<PlannedStatement> Pending { get; } = [];

    /// <summary>
    /// Adds a savepoint statement to send with the next request. A RELEASE right after its own SAVEPOINT, with nothing
    /// between them, cancels it out.
    /// </summary>
    public void Defer(PlannedStatement statement, string? releasedSavepoint)
    {
        if (releasedSavepoint is not null && Pending.Count > 0 && Pending[^1].Source.Sql == "SAVEPOINT " + releasedSavepoint)
        {
            Pending.RemoveAt(Pending.Count - 1);
            return;
        }

        Pending.Add(statement);
    }

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
