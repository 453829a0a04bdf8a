using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Data.Sources;

/// <summary>Signatures of accepted pushes, kept until their timestamp leaves the tolerance, so a replayed push is refused.</summary>
public sealed class PushReplayRepository(LibSqlDataSource dataSource, TimeProvider timeProvider)
{
    /// <summary>Claims a signature; false when it was used already (a replay). Expired claims are swept on the way.</summary>
    public async Task<bool> TryClaimAsync(long sourceId, string signature, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM source_push_replays WHERE expires_at < @Now", new { Now = DbTime.ToText(timeProvider.GetUtcNow()) }, cancellationToken: cancellationToken));
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO source_push_replays (source_id, signature, expires_at) VALUES (@SourceId, @Signature, @ExpiresAt) ON CONFLICT DO NOTHING",
            new { SourceId = sourceId, Signature = signature, ExpiresAt = DbTime.ToText(expiresAt) }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Gives a claim back when the push it belonged to was refused, so a refused request leaves nothing behind.</summary>
    public async Task ReleaseAsync(long sourceId, string signature, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM source_push_replays WHERE source_id = @SourceId AND signature = @Signature", new { SourceId = sourceId, Signature = signature }, cancellationToken: cancellationToken));
    }
}
