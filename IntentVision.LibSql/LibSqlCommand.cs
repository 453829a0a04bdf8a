using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using IntentVision.LibSql.Execution;

namespace IntentVision.LibSql;

/// <summary>
/// A SQL command on a libSQL server. The text may hold several statements (a migration script): they travel in one
/// request as a Hrana batch where each runs only if the previous succeeded, and the reader exposes one result set per
/// statement that returns columns. Parameters: <c>?</c>, <c>?NNN</c>, <c>:name</c>, <c>@name</c>, <c>$name</c>.
/// </summary>
public sealed class LibSqlCommand : DbCommand
{
    private string _commandText = string.Empty;
    private int? _timeout;
    private LibSqlConnection? _connection;
    private readonly CommandRun _run = new();
    private StatementResults? _lastResults;

    public LibSqlCommand()
    {
    }

    public LibSqlCommand(string commandText, LibSqlConnection? connection = null, LibSqlTransaction? transaction = null)
    {
        _commandText = commandText;
        _connection = connection;
        Transaction = transaction;
    }

    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set => _commandText = value ?? string.Empty;
    }

    /// <summary>Seconds before the command fails with a TIMEOUT error; 0 waits forever. Defaults to the connection's <see cref="LibSqlConnection.DefaultCommandTimeout"/>.</summary>
    public override int CommandTimeout
    {
        get => _timeout ?? _connection?.DefaultTimeoutSeconds ?? 30;
        set => _timeout = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The timeout cannot be negative.");
    }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new NotSupportedException($"libSQL runs SQL text only, not {value}.");
            }
        }
    }

    public new LibSqlConnection? Connection
    {
        get => _connection;
        set => _connection = value;
    }

    public new LibSqlTransaction? Transaction { get; set; }

    public new LibSqlParameterCollection Parameters { get; } = new();

    /// <summary>
    /// The rowid of the last row the command inserted (SQLite's <c>last_insert_rowid()</c>), or null if it inserted none.
    /// Each command outside a transaction runs on its own server stream, so read it here rather than with a later
    /// <c>SELECT last_insert_rowid()</c> (or put that SELECT in the same command text).
    /// </summary>
    public long? LastInsertRowId => _lastResults?.LastInsertRowId;

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => _connection = ProviderTypes.Require<LibSqlConnection>(value, nameof(LibSqlCommand));
    }

    protected override DbParameterCollection DbParameterCollection => Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => Transaction;
        set => Transaction = ProviderTypes.Require<LibSqlTransaction>(value, nameof(LibSqlCommand));
    }

    /// <summary>Cancels the command in flight, if any; its outcome on the server is then unknown.</summary>
    public override void Cancel() => _run.Cancel();

    /// <summary>
    /// Nothing to do up front: statements are parsed once per data source, and on a file each connection keeps its
    /// prepared statements while it is open, so running this command again only binds the values that changed.
    /// </summary>
    public override void Prepare()
    {
    }

    public new LibSqlParameter CreateParameter() => new();

    public override int ExecuteNonQuery() => ExecuteNonQueryAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => ExecuteNonQueryAsync(async: true, cancellationToken).AsTask();

    public override object? ExecuteScalar() => ExecuteScalarAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => ExecuteScalarAsync(async: true, cancellationToken).AsTask();

    public new LibSqlDataReader ExecuteReader() => ExecuteReader(CommandBehavior.Default);

    public new LibSqlDataReader ExecuteReader(CommandBehavior behavior) =>
        ExecuteReaderAsync(behavior, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public new Task<LibSqlDataReader> ExecuteReaderAsync(CancellationToken cancellationToken = default) =>
        ExecuteReaderAsync(CommandBehavior.Default, async: true, cancellationToken).AsTask();

    public new Task<LibSqlDataReader> ExecuteReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken = default) =>
        ExecuteReaderAsync(behavior, async: true, cancellationToken).AsTask();

    protected override DbParameter CreateDbParameter() => CreateParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => ExecuteReader(behavior);

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await ExecuteReaderAsync(behavior, async: true, cancellationToken).ConfigureAwait(false);

    private ValueTask<int> ExecuteNonQueryAsync(bool async, CancellationToken cancellationToken) =>
        CommandRun.NonQueryAsync(ExecuteAsync(wantRows: false, async, cancellationToken));

    private ValueTask<object?> ExecuteScalarAsync(bool async, CancellationToken cancellationToken) =>
        CommandRun.ScalarAsync(ExecuteAsync(wantRows: true, async, cancellationToken));

    private ValueTask<LibSqlDataReader> ExecuteReaderAsync(CommandBehavior behavior, bool async, CancellationToken cancellationToken) =>
        CommandRun.ReaderAsync(ExecuteAsync(wantRows: true, async, cancellationToken, behavior), behavior, _connection);

    private async ValueTask<StatementResults> ExecuteAsync(bool wantRows, bool async, CancellationToken cancellationToken, CommandBehavior? readerBehavior = null)
    {
        var results = await _run.RunAsync(
            _connection, Transaction, [new CommandInput(_commandText, Parameters.Items)], batchCommands: null, atomic: false, wantRows, CommandTimeout, async, cancellationToken, readerBehavior)
            .ConfigureAwait(false);
        _lastResults = results;
        return results;
    }
}
