using SQLitePCL;

namespace IntentVision.LibSql.Embedded;

/// <summary>
/// Stops a statement running on a file when its command times out or its caller cancels, with
/// <c>sqlite3_interrupt</c>, so a file command ends the way a server command does (TIMEOUT, or cancellation).
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource? _deadline;
    private readonly CancellationTokenRegistration _onDeadline;
    private readonly CancellationTokenRegistration _onCancel;

    public Interruption(sqlite3 db, int timeoutSeconds, CancellationToken cancellationToken)
    {
        TimeoutSeconds = timeoutSeconds;
        CancellationToken = cancellationToken;
        if (timeoutSeconds > 0)
        {
            _deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
            _onDeadline = _deadline.Token.UnsafeRegister(static state => raw.sqlite3_interrupt((sqlite3)state!), db);
        }

        if (cancellationToken.CanBeCanceled)
        {
            _onCancel = cancellationToken.UnsafeRegister(static state => raw.sqlite3_interrupt((sqlite3)state!), db);
        }
    }

    public int TimeoutSeconds { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Before each statement: an interrupt that came between statements would otherwise be lost.</summary>
    public void ThrowIfStopped(string? statement)
    {
        CancellationToken.ThrowIfCancellationRequested();
        if (_deadline?.IsCancellationRequested == true)
        {
            throw TimedOut(statement);
        }
    }

    /// <summary>What SQLITE_INTERRUPT means here: the deadline passed, or the caller cancelled.</summary>
    public Exception Explain(string? statement)
    {
        if (CancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("The command was cancelled.", CancellationToken);
        }

        return _deadline?.IsCancellationRequested == true
            ? TimedOut(statement)
            : new LibSqlException("The statement was interrupted.", "SQLITE_INTERRUPT", statement);
    }

    public void Dispose()
    {
        _onDeadline.Dispose();
        _onCancel.Dispose();
        _deadline?.Dispose();
    }

    private LibSqlException TimedOut(string? statement) =>
        new($"The command did not complete within its timeout of {TimeoutSeconds} s.", "TIMEOUT", statement, new TimeoutException());
}
