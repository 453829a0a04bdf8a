using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Data.Idempotency;

/// <summary>Idempotency keys, scoped to an organization and kept until they expire.</summary>
public sealed class IdempotencyRepository(LibSqlDataSource dataSource, TimeProvider timeProvider)
{
    public async Task<IdempotentResponse?> FindAsync(string organizationId, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT request_hash AS RequestHash, status_code AS StatusCode, response_body AS ResponseBody, created_at AS CreatedAt
            FROM idempotency_keys WHERE organization_id = @OrganizationId AND key = @Key AND expires_at > @Now
            """,
            new { OrganizationId = organizationId, Key = key, Now = DbTime.ToText(timeProvider.GetUtcNow()) },
            cancellationToken: cancellationToken));
        return row is null ? null : new IdempotentResponse(row.RequestHash, (int)row.StatusCode, row.ResponseBody, DbTime.ParseText(row.CreatedAt));
    }

    /// <summary>Keeps the answer for <paramref name="lifetime"/>; an expired entry under the same key is replaced.</summary>
    public async Task SaveAsync(string organizationId, string key, IdempotentResponse response, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO idempotency_keys (organization_id, key, request_hash, status_code, response_body, created_at, expires_at)
            VALUES (@OrganizationId, @Key, @RequestHash, @StatusCode, @ResponseBody, @CreatedAt, @ExpiresAt)
            ON CONFLICT (organization_id, key) DO UPDATE SET
                request_hash = excluded.request_hash, status_code = excluded.status_code, response_body = excluded.response_body,
                created_at = excluded.created_at, expires_at = excluded.expires_at
            WHERE idempotency_keys.expires_at <= excluded.created_at
            """,
            new
            {
                OrganizationId = organizationId,
                Key = key,
                response.RequestHash,
                response.StatusCode,
                response.ResponseBody,
                CreatedAt = DbTime.ToText(response.CreatedAt),
                ExpiresAt = DbTime.ToText(response.CreatedAt + lifetime),
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>Deletes expired entries; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE expires_at <= @Now", new { Now = DbTime.ToText(now) }, cancellationToken: cancellationToken));
    }

    private sealed class Row
    {
        public string RequestHash { get; set; } = string.Empty;

        public long StatusCode { get; set; }

        public string ResponseBody { get; set; } = string.Empty;

        public string CreatedAt { get; set; } = string.Empty;
    }
}
