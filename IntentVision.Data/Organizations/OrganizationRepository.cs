using System.Globalization;
using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Data.Organizations;

public sealed class OrganizationRepository(LibSqlDataSource dataSource, TimeProvider timeProvider)
{
    /// <summary>Creates the organization; returns null when the id is taken (nothing is changed then).</summary>
    public async Task<Organization?> CreateAsync(string id, string name, CancellationToken cancellationToken = default)
    {
        var createdAt = timeProvider.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO organizations (id, name, created_at) VALUES (@Id, @Name, @CreatedAt) ON CONFLICT (id) DO NOTHING",
            new { Id = id, Name = name, CreatedAt = createdAt.ToString("O", CultureInfo.InvariantCulture) },
            cancellationToken: cancellationToken));
        return inserted == 1 ? new Organization(id, name, createdAt) : null;
    }

    public async Task<IReadOnlyList<Organization>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<OrganizationRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, created_at AS CreatedAt FROM organizations ORDER BY id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToOrganization()).ToList();
    }

    public async Task<Organization?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OrganizationRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, created_at AS CreatedAt FROM organizations WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToOrganization();
    }

    private sealed class OrganizationRow
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string CreatedAt { get; set; } = string.Empty;

        public Organization ToOrganization() => new(Id, Name, DbTime.ParseText(CreatedAt));
    }
}
