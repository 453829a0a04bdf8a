using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.ApiKeys;

/// <summary>
/// API keys of organizations, looked up by the hash of the presented key. Writes go through the one
/// <see cref="DatabaseWriter"/>; a key's last use is recorded by <see cref="KeyUsageRecorder"/>, in batches.
/// </summary>
public sealed class ApiKeyRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    private const string SelectColumns = """
        SELECT id AS Id, organization_id AS OrganizationId, name AS Name, prefix AS Prefix, scopes AS Scopes,
               created_at AS CreatedAt, last_used_at AS LastUsedAt, revoked_at AS RevokedAt
        FROM api_keys
        """;

    public async Task<ApiKey> CreateAsync(string id, string organizationId, string name, string prefix, string keyHash, IReadOnlyList<string> scopes, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO api_keys (id, organization_id, name, prefix, key_hash, scopes, created_at)
                VALUES (@Id, @OrganizationId, @Name, @Prefix, @KeyHash, @Scopes, @Now)
                """,
                new { Id = id, OrganizationId = organizationId, Name = name, Prefix = prefix, KeyHash = keyHash, Scopes = string.Join(' ', scopes), Now = DbTime.ToText(now) },
                scope.Transaction,
                cancellationToken: token)),
            cancellationToken);
        return new ApiKey(id, organizationId, name, prefix, scopes, now, null, null);
    }

    /// <summary>The key whose hash this is, revoked or not; null when no key has it.</summary>
    public async Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            SelectColumns + " WHERE key_hash = @KeyHash", new { KeyHash = keyHash }, cancellationToken: cancellationToken));
        return row?.ToApiKey();
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId ORDER BY created_at, id", new { OrganizationId = organizationId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToApiKey()).ToList();
    }

    public async Task<ApiKey?> GetAsync(string organizationId, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND id = @Id", new { OrganizationId = organizationId, Id = id }, cancellationToken: cancellationToken));
        return row?.ToApiKey();
    }

    /// <summary>Revokes the key; returns it as revoked, or null when the organization has no such key.</summary>
    public async Task<ApiKey?> RevokeAsync(string organizationId, string id, CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        await writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE api_keys SET revoked_at = coalesce(revoked_at, @Now) WHERE organization_id = @OrganizationId AND id = @Id",
                new { OrganizationId = organizationId, Id = id, Now = now },
                scope.Transaction,
                cancellationToken: token)),
            cancellationToken);
        return await GetAsync(organizationId, id, cancellationToken);
    }

    private sealed class ApiKeyRow
    {
        public string Id { get; set; } = string.Empty;

        public string OrganizationId { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Prefix { get; set; } = string.Empty;

        public string Scopes { get; set; } = string.Empty;

        public string CreatedAt { get; set; } = string.Empty;

        public string? LastUsedAt { get; set; }

        public string? RevokedAt { get; set; }

        public ApiKey ToApiKey() => new(
            Id,
            OrganizationId,
            Name,
            Prefix,
            Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            DbTime.ParseText(CreatedAt),
            DbTime.ParseText(LastUsedAt, allowNull: true),
            DbTime.ParseText(RevokedAt, allowNull: true));
    }
}
