using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Idempotency;

/// <summary>
/// Idempotency keys, scoped to an organization and kept until they expire. A key is reserved and answered inside the
/// unit of work that applies its request (<see cref="FindAsync(WriteScope, string, string, CancellationToken)"/> then
/// <see cref="SaveAsync"/>): the answer commits with the points, so a retry either replays it or, when nothing
/// committed, applies the request once. A pooled read (<see cref="FindAsync(string, string, CancellationToken)"/>)
/// answers most retries without queueing for the writer.
/// </summary>
public sealed class IdempotencyRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    /// <summary>Expired keys deleted per unit of work, so a large cleanup never holds the writer long.</summary>
    public const int DeleteBatchSize = 1000;

    private const string SelectLive = """
        SELECT request_hash AS RequestHash, status_code AS StatusCode, response_body AS ResponseBody, created_at AS CreatedAt
        FROM idempotency_keys WHERE organization_id = @OrganizationId AND key = @Key AND expires_at > @Now
        """;

    /// <summary>The stored answer for the key, read outside any transaction (the fast path of a retry).</summary>
    public async Task<IdempotentResponse?> FindAsync(string organizationId, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            SelectLive, new { OrganizationId = organizationId, Key = key, Now = DbTime.ToText(timeProvider.GetUtcNow()) }, cancellationToken: cancellationToken));
        return row?.ToResponse();
    }

    /// <summary>The stored answer for the key, inside the unit that would apply the request: authoritative, since no other write runs meanwhile.</summary>
    public static async Task<IdempotentResponse?> FindAsync(WriteScope scope, string organizationId, string key, CancellationToken cancellationToken)
    {
        var row = await scope.Connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            SelectLive, new { OrganizationId = organizationId, Key = key, Now = scope.NowText }, scope.Transaction, cancellationToken: cancellationToken));
        return row?.ToResponse();
    }

    /// <summary>Keeps the answer for <paramref name="lifetime"/> in the unit that applied the request; an expired entry under the same key is replaced.</summary>
    public static Task<int> SaveAsync(WriteScope scope, string organizationId, string key, IdempotentResponse response, TimeSpan lifetime, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteAsync(new CommandDefinition(
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
            scope.Transaction,
            cancellationToken: cancellationToken));

    /// <summary>Deletes expired entries, <see cref="DeleteBatchSize"/> per unit of work; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var deleted = await writer.WriteAsync(
                (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys WHERE expires_at <= @Now LIMIT @Limit)",
                    new { Now = DbTime.ToText(now), Limit = DeleteBatchSize },
                    scope.Transaction,
                    cancellationToken: token)),
                cancellationToken,
                weight: DeleteBatchSize);
            total += deleted;
            if (deleted < DeleteBatchSize)
            {
                return total;
            }
        }
    }

    private sealed class Row
    {
        public string RequestHash { get; set; } = string.Empty;

        public long StatusCode { get; set; }

        public string ResponseBody { get; set; } = string.Empty;

        public string CreatedAt { get; set; } = string.Empty;

        public IdempotentResponse ToResponse() => new(RequestHash, (int)StatusCode, ResponseBody, DbTime.ParseText(CreatedAt));
    }
}
