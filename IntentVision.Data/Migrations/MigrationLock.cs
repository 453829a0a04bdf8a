using System.Data.Common;
using System.Diagnostics;
using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Data.Migrations;

/// <summary>
/// The migration lock: one row in <c>_migrations_lock</c>, taken and released in short transactions of their own, so
/// it can be held across many migration transactions and waited for far longer than the engine's 5 s busy timeout.
/// A waiter only reads while the lock is held: on sqld a writer that waits makes the server end the holder's write
/// transaction after about 5 s, which would break a long migration. It writes only to take a free, expired or dead
/// holder's lock, and then as a compare-and-swap on the holder it saw, so two waiters never both win. A holder killed
/// outright leaves its row behind: on the same machine its missing process frees the lock at once, elsewhere the lease
/// expiry does.
/// </summary>
internal sealed class MigrationLock
{
    internal const string Ddl = """
        CREATE TABLE IF NOT EXISTS _migrations_lock (
            id                 INTEGER PRIMARY KEY CHECK (id = 1),
            holder             TEXT    NOT NULL,
            host               TEXT    NOT NULL,
            pid                INTEGER NOT NULL,
            process_started_at TEXT    NOT NULL,
            acquired_at        TEXT    NOT NULL,
            expires_at         TEXT    NOT NULL
        )
        """;

    private readonly LibSqlDataSource _dataSource;
    private readonly MigrationLockOptions _options;
    private readonly TimeProvider _time;
    private readonly string _holder;
    private readonly string _host = Environment.MachineName;
    private readonly int _pid = Environment.ProcessId;
    private readonly string _processStartedAt;

    private MigrationLock(LibSqlDataSource dataSource, MigrationLockOptions options, TimeProvider time)
    {
        _dataSource = dataSource;
        _options = options;
        _time = time;
        _holder = $"{_host}:{_pid}:{Guid.NewGuid().ToString("N")[..8]}";
        using var self = Process.GetCurrentProcess();
        _processStartedAt = DbTime.ToText(self.StartTime.ToUniversalTime());
    }

    public static async Task<MigrationLock> AcquireAsync(LibSqlDataSource dataSource, MigrationLockOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var theLock = new MigrationLock(dataSource, options, time);
        await theLock.WaitAndTakeAsync(cancellationToken);
        return theLock;
    }

    /// <summary>The current holder, or null when the lock is free (or its table does not exist yet).</summary>
    public static async Task<MigrationLockHolder?> ReadHolderAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var row = await ReadRowAsync(connection, cancellationToken);
        return row is null ? null : ToHolder(row);
    }

    /// <summary>Extends the lease before the next migration; fails loudly if another run took the lock meanwhile.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE _migrations_lock SET expires_at = @ExpiresAt WHERE id = 1 AND holder = @Holder",
            new { ExpiresAt = DbTime.ToText(_time.GetUtcNow() + _options.Lease), Holder = _holder },
            cancellationToken: cancellationToken));
        if (updated == 0)
        {
            var holder = await ReadHolderAsync(connection, cancellationToken);
            throw new MigrationRefusedException(
                $"This run lost the migration lock (its lease of {_options.Lease.TotalMinutes:0} min ran out during a migration, and another run took it: {holder?.ToString() ?? "no holder"}). " +
                "Every migration applied so far is complete; run again, and raise the lease if single migrations take that long.");
        }
    }

    public async Task ReleaseAsync()
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM _migrations_lock WHERE id = 1 AND holder = @Holder", new { Holder = _holder }, cancellationToken: CancellationToken.None));
        }
        catch (DbException)
        {
            // The lease expires on its own; a failed release only delays the next run.
        }
        catch (HttpRequestException)
        {
        }
    }

    private async Task WaitAndTakeAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var announced = false;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            var row = await ReadRowAsync(connection, cancellationToken);
            if (row is null || row.Holder == _holder || IsStale(row))
            {
                if (await TryTakeAsync(connection, row, cancellationToken))
                {
                    return;
                }

                // Someone else was quicker; read who, and wait for them like for anyone.
                row = await ReadRowAsync(connection, cancellationToken);
            }

            if (row is not null && row.Holder != _holder)
            {
                if (!announced)
                {
                    announced = true;
                    _options.Waiting?.Invoke(ToHolder(row));
                }

                if (waited.Elapsed >= _options.WaitTimeout)
                {
                    throw new MigrationLockTimeoutException(ToHolder(row), waited.Elapsed);
                }
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken);
        }
    }

    private async Task<bool> TryTakeAsync(DbConnection connection, LockRow? seen, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var values = new
        {
            Holder = _holder,
            Host = _host,
            Pid = _pid,
            Started = _processStartedAt,
            AcquiredAt = DbTime.ToText(now),
            ExpiresAt = DbTime.ToText(now + _options.Lease),
            Seen = seen?.Holder,
        };
        try
        {
            // Insert when free; when taken over, replace only the holder we judged stale (compare-and-swap).
            var sql = seen is null
                ? "INSERT INTO _migrations_lock (id, holder, host, pid, process_started_at, acquired_at, expires_at) VALUES (1, @Holder, @Host, @Pid, @Started, @AcquiredAt, @ExpiresAt) ON CONFLICT (id) DO NOTHING"
                : "UPDATE _migrations_lock SET holder = @Holder, host = @Host, pid = @Pid, process_started_at = @Started, acquired_at = @AcquiredAt, expires_at = @ExpiresAt WHERE id = 1 AND holder = @Seen";
            return await connection.ExecuteAsync(new CommandDefinition(sql, values, cancellationToken: cancellationToken)) == 1;
        }
        catch (DbException e) when (IsBusy(e))
        {
            // A dead holder's transaction may still hold the write lock (sqld ends it when its stream expires): try again.
            return false;
        }
    }

    private bool IsStale(LockRow row)
    {
        if (DbTime.ParseText(row.ExpiresAt) <= _time.GetUtcNow())
        {
            return true;
        }

        if (!string.Equals(row.Host, _host, StringComparison.Ordinal))
        {
            return false;
        }

        // Same machine: the holder is alive only if its process is, and is the same process (pids are reused).
        try
        {
            using var process = Process.GetProcessById((int)row.Pid);
            if (process.HasExited)
            {
                return true;
            }

            var started = DbTime.ToText(process.StartTime.ToUniversalTime());
            return (DbTime.ParseText(started) - DbTime.ParseText(row.ProcessStartedAt)).Duration() > TimeSpan.FromSeconds(2);
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not ours to inspect: assume alive and let the lease decide.
            return false;
        }
    }

    /// <summary>Another writer holds the lock (or held it until the server ended it); an unreachable server is not busy and fails the run.</summary>
    private static bool IsBusy(DbException e) => e is LibSqlException { Kind: LibSqlFailureKind.Busy } or LibSqlException { Code: "TIMEOUT" or "STREAM_EXPIRED" };

    private static async Task<LockRow?> ReadRowAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_migrations_lock'", cancellationToken: cancellationToken));
        if (exists == 0)
        {
            return null;
        }

        return await connection.QuerySingleOrDefaultAsync<LockRow>(new CommandDefinition(
            "SELECT holder AS Holder, host AS Host, pid AS Pid, process_started_at AS ProcessStartedAt, acquired_at AS AcquiredAt, expires_at AS ExpiresAt FROM _migrations_lock WHERE id = 1",
            cancellationToken: cancellationToken));
    }

    private static MigrationLockHolder ToHolder(LockRow row) =>
        new(row.Holder, row.Host, (int)row.Pid, DbTime.ParseText(row.AcquiredAt), DbTime.ParseText(row.ExpiresAt));

    private sealed class LockRow
    {
        public string Holder { get; set; } = string.Empty;

        public string Host { get; set; } = string.Empty;

        public long Pid { get; set; }

        public string ProcessStartedAt { get; set; } = string.Empty;

        public string AcquiredAt { get; set; } = string.Empty;

        public string ExpiresAt { get; set; } = string.Empty;
    }
}
