using Dapper;
using IntentVision.Data.Writing;

namespace IntentVision.Data.Sources;

/// <summary>
/// Signatures of accepted pushes, kept until their timestamp leaves the tolerance, so a replayed push is refused. The
/// claim is written in the push's own unit of work, with its points: a push is claimed and stored together, or neither.
/// </summary>
public static class PushReplayRepository
{
    /// <summary>Claims a signature inside a unit of work; false when it was used already (a replay). Expired claims are swept on the way.</summary>
    public static async Task<bool> TryClaimAsync(WriteScope scope, long sourceId, string signature, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM source_push_replays WHERE expires_at < @Now", new { Now = scope.NowText }, scope.Transaction, cancellationToken: cancellationToken));
        return await scope.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO source_push_replays (source_id, signature, expires_at) VALUES (@SourceId, @Signature, @ExpiresAt) ON CONFLICT DO NOTHING",
            new { SourceId = sourceId, Signature = signature, ExpiresAt = DbTime.ToText(expiresAt) }, scope.Transaction, cancellationToken: cancellationToken)) == 1;
    }
}
