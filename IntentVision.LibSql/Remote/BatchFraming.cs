namespace IntentVision.LibSql.Remote;

/// <summary>How the statements of a request are wrapped in Hrana batch steps.</summary>
internal enum BatchFraming
{
    /// <summary>Each step runs only if the one before succeeded, like SQLite running a script: stop at the first error.</summary>
    Chained,

    /// <summary>BEGIN, the chained steps, COMMIT if all succeeded, ROLLBACK otherwise: all or nothing in one round trip.</summary>
    Atomic,

    /// <summary>The transaction's BEGIN, sent with its first command to save a round trip, then the chained steps.</summary>
    BeginThenChained,

    /// <summary>Chained steps that run only while the stream is still inside its transaction, so a transaction the server
    /// rolled back (TRANSACTION_TIMEOUT) cannot turn the following commands into autocommit writes.</summary>
    InTransaction,

    /// <summary>A transaction's BEGIN only if the stream is still in autocommit, then steps that run only inside the
    /// transaction: for a cursor after the transaction's first request was refused as too large, when the server may
    /// or may not have run the BEGIN that travelled with it.</summary>
    BeginIfNeeded,
}
