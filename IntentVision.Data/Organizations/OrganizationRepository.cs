using System.Globalization;
using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Organizations;

/// <summary>Organizations (tenants). Writes go through the one <see cref="DatabaseWriter"/>; reads use pooled connections.</summary>
public sealed class OrganizationRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    /// <summary>Creates the organization; returns null when the id is taken (nothing is changed then).</summary>
    public Task<Organization?> CreateAsync(string id, string name, CancellationToken cancellationToken = default)
    {
        var createdAt = timeProvider.GetUtcNow();
        return writer.WriteAsync(async (scope, token) =>
        {
            var inserted = await scope.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO organizations (id, name, created_at) VALUES (@Id, @Name, @CreatedAt) ON CONFLICT (id) DO NOTHING",
                new { Id = id, Name = name, CreatedAt = createdAt.ToString("O", CultureInfo.InvariantCulture) },
                scope.Transaction,
                cancellationToken: token));
            return inserted == 1 ? new Organization(id, name, createdAt) : null;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Organization>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<OrganizationRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, created_at AS CreatedAt, retention_days AS RetentionDays FROM organizations ORDER BY id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToOrganization()).ToList();
    }

    public async Task<Organization?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OrganizationRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, created_at AS CreatedAt, retention_days AS RetentionDays FROM organizations WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToOrganization();
    }

    private sealed class OrganizationRow
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string CreatedAt { get; set; } = string.Empty;

        public long? RetentionDays { get; set; }

        public Organization ToOrganization() => new(Id, Name, DbTime.ParseText(CreatedAt), (int?)RetentionDays);
    }
}
