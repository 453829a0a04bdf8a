namespace IntentVision.LibSql.Execution;

/// <summary>
/// What an open <see cref="LibSqlConnection"/> talks to: the file through Microsoft.Data.Sqlite, or a server through
/// Hrana. Everything above this (command, batch, reader, transaction, parameters) is one code path for both.
/// </summary>
internal abstract class ConnectionSession
{
    /// <summary>The engine, as <see cref="System.Data.Common.DbConnection.ServerVersion"/> reports it.</summary>
    public abstract string ServerVersion { get; }

    /// <summary>Runs the commands. The results may be read as the engine steps (file) or already be complete (server).</summary>
    public abstract ValueTask<StatementResults> ExecuteAsync(ExecutionRequest request, bool async, CancellationToken cancellationToken);

    /// <summary>Starts the transaction (the file begins at once; a server sends BEGIN with the first command).</summary>
    public abstract void Begin(LibSqlTransaction transaction);

    /// <summary>COMMIT or ROLLBACK. Quiet mode (dispose, close) swallows failures.</summary>
    public abstract ValueTask CompleteAsync(LibSqlTransaction transaction, bool commit, bool quiet, bool async, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a SAVEPOINT or RELEASE of the transaction to send with its next statement instead of on its own, or
    /// returns false when running it at once is as cheap (the file).
    /// </summary>
    public virtual bool TryDefer(LibSqlTransaction transaction, string sql) => false;

    /// <summary>Gives back what the session holds (the pooled file handle and its prepared statements).</summary>
    public abstract void Close();
}
