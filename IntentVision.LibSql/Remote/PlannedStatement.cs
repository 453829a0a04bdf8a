using IntentVision.LibSql.Hrana;
using IntentVision.LibSql.Sql;

namespace IntentVision.LibSql.Remote;

/// <summary>
/// A statement ready to send, and where it came from: the command it belongs to (for per-command results) and,
/// when several commands were coalesced into one multi-row INSERT, how many commands it stands for.
/// </summary>
/// <param name="CommandIndex">The first command it came from; <see cref="DeferredSavepoint"/> or <see cref="DeferredWrite"/> for a statement sent later than its call.</param>
internal sealed record PlannedStatement(HranaStatement Statement, ParsedStatement Source, int CommandIndex, int CommandCount = 1)
{
    /// <summary>A SAVEPOINT or RELEASE deferred to the transaction's next request.</summary>
    public const int DeferredSavepoint = -1;

    /// <summary>A write deferred to the transaction's next request or its COMMIT (<see cref="LibSqlTransaction.DeferWrites"/>).</summary>
    public const int DeferredWrite = -2;
}
