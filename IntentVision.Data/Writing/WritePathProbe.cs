using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Data.Writing;

/// <summary>
/// Proves the write path works, through the one <see cref="DatabaseWriter"/> (a probe of its own would be a second
/// writer): a row written to <c>writer_probe</c> inside the writer's transaction and rolled back to its savepoint. It
/// fails when the writer is wedged (the caller's deadline passes), the server is down (the circuit is open), or the
/// database refuses writes. After the storage refused a write (a full disk: SQLITE_FULL, or SQLITE_IOERR as sqld reports
/// it) it commits a 1 MiB row and deletes it again, since a write rolled back needs no space: the database is healthy
/// again once such a write fits. A file made read-only fails the probe too: the writer checks the file before each group.
/// </summary>
public sealed class WritePathProbe(DatabaseWriter writer)
{
    /// <summary>What the probe commits after a full disk, so that success means the disk takes a real write again.</summary>
    public const int SpaceProbeBytes = 1 << 20;

    /// <summary>Runs the probe; throws what the write path throws (the caller's token bounds the wait).</summary>
    public async Task<WriterStatus> ProbeAsync(CancellationToken cancellationToken)
    {
        if (writer.Status.LastFailure == LibSqlFailureKind.Storage)
        {
            await writer.WriteAsync(new Probe(SpaceProbeBytes, commit: true), cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(new ProbeCleanup(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await writer.WriteAsync(new Probe(16, commit: false), cancellationToken).ConfigureAwait(false);
        }

        return writer.Status;
    }

    /// <summary>Writes the probe row; rolled back to its own savepoint unless it must prove the disk has room.</summary>
    private sealed class Probe(int bytes, bool commit) : IWriteUnit<bool>, IWriteProbe
    {
        public int Weight => 1;

        public bool ProvesStorage => commit;

        public async Task<bool> WriteAsync(WriteScope scope, CancellationToken cancellationToken)
        {
            if (!commit)
            {
                await scope.Transaction.SaveAsync("probe", cancellationToken).ConfigureAwait(false);
            }

            await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO writer_probe (id, filler, probed_at) VALUES (1, zeroblob(@Bytes), @Now)
                ON CONFLICT (id) DO UPDATE SET filler = excluded.filler, probed_at = excluded.probed_at
                """,
                new { Bytes = bytes, Now = scope.NowText },
                scope.Transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (!commit)
            {
                await scope.Transaction.RollbackAsync("probe", cancellationToken).ConfigureAwait(false);
                await scope.Transaction.ReleaseAsync("probe", cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
    }

    /// <summary>Deletes the row a space probe committed, so it keeps no space.</summary>
    private sealed class ProbeCleanup : IWriteUnit<bool>, IWriteProbe
    {
        public int Weight => 1;

        public bool ProvesStorage => false;

        public async Task<bool> WriteAsync(WriteScope scope, CancellationToken cancellationToken)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition("DELETE FROM writer_probe", transaction: scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return true;
        }
    }
}

/// <summary>A unit that only probes the write path; committing it shows the disk has room only when <see cref="ProvesStorage"/>.</summary>
internal interface IWriteProbe
{
    bool ProvesStorage { get; }
}
