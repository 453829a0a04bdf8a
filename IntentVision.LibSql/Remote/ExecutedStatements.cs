using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Remote;

/// <summary>The statements that were sent and their results, index for index.</summary>
internal sealed record ExecutedStatements(IReadOnlyList<PlannedStatement> Plan, HranaStatementResult[] Results);
