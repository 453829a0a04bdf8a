using IntentVision.LibSql;

namespace IntentVision.Data.Writing;

/// <summary>What the <see cref="DatabaseWriter"/> last saw, for health checks and the runbook's questions.</summary>
/// <param name="QueueLength">Units waiting for a group.</param>
/// <param name="GroupRunningSince">When the group in flight started, if one is (a wedged database shows as a group that never ends).</param>
/// <param name="LastCommitAt">When a group last committed.</param>
/// <param name="LastFailure">The failure of the last group that failed, if no group has committed since.</param>
/// <param name="LastFailureAt">When it failed.</param>
/// <param name="ConsecutiveFailures">Groups failed in a row since the last commit.</param>
public sealed record WriterStatus(
    int QueueLength,
    DateTimeOffset? GroupRunningSince,
    DateTimeOffset? LastCommitAt,
    LibSqlFailureKind? LastFailure,
    string? LastFailureCode,
    DateTimeOffset? LastFailureAt,
    int ConsecutiveFailures);
