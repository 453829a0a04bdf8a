using IntentVision.LibSql.Hrana;
using IntentVision.LibSql.Sql;

namespace IntentVision.LibSql.Remote;

/// <summary>
/// A statement ready to send, and where it came from: the command it belongs to (for per-command results) and,
/// when several commands were coalesced into one multi-row INSERT, how many commands it stands for.
/// </summary>
internal sealed record PlannedStatement(HranaStatement Statement, ParsedStatement Source, int CommandIndex, int CommandCount = 1);
