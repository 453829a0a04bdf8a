using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Alerts;

/// <summary>Notification policies. Writes go through the one <see cref="DatabaseWriter"/>; reads use pooled connections.</summary>
public sealed class NotificationPolicyRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    private const string SelectColumns = """
        SELECT id AS Id, organization_id AS OrganizationId, name AS Name, position AS Position, matchers AS Matchers, channels AS Channels,
               notification AS Notification, continue_matching AS ContinueMatching, enabled AS Enabled, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM notification_policies
        """;

    /// <summary>Creates the policy; null when the organization has one of that name already.</summary>
    public async Task<NotificationPolicy?> CreateAsync(string organizationId, NotificationPolicyDefinition d, CancellationToken cancellationToken = default)
    {
        var parameters = Parameters(organizationId, d);
        var id = await writer.WriteAsync((scope, token) => scope.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO notification_policies (organization_id, name, position, matchers, channels, notification, continue_matching, enabled, created_at, updated_at)
            VALUES (@OrganizationId, @Name, @Position, @Matchers, @Channels, @Notification, @Continue, @Enabled, @Now, @Now)
            ON CONFLICT (organization_id, name) DO NOTHING RETURNING id
            """,
            parameters, scope.Transaction, cancellationToken: token)), cancellationToken);
        return id is { } created ? await GetAsync(organizationId, created, cancellationToken) : null;
    }

    /// <summary>Replaces a policy. (policy, nameTaken): policy null and nameTaken false means no such policy.</summary>
    public async Task<(NotificationPolicy? Policy, bool NameTaken)> UpdateAsync(string organizationId, long id, NotificationPolicyDefinition d, CancellationToken cancellationToken = default)
    {
        var p = Parameters(organizationId, d);
        p.Add("Id", id);

        var (changed, taken) = await NamedRowWrites.UpdateUnlessNameTakenAsync(writer, "notification_policies", organizationId, id, d.Name,
            """
            UPDATE notification_policies SET name = @Name, position = @Position, matchers = @Matchers, channels = @Channels, notification = @Notification,
                   continue_matching = @Continue, enabled = @Enabled, updated_at = @Now
            WHERE organization_id = @OrganizationId AND id = @Id
            """,
            p, cancellationToken);
        if (taken)
        {
            return (null, true);
        }

        return changed == 0 ? (null, false) : (await GetAsync(organizationId, id, cancellationToken), false);
    }

    public Task<bool> DeleteAsync(string organizationId, long id, CancellationToken cancellationToken = default) =>
        NamedRowWrites.DeleteAsync(writer, "notification_policies", organizationId, id, cancellationToken);

    public async Task<NotificationPolicy?> GetAsync(string organizationId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PolicyRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND id = @Id", new { OrganizationId = organizationId, Id = id }, cancellationToken: cancellationToken));
        return row?.ToPolicy();
    }

    /// <summary>A policy by id alone: the dispatcher looks up the channel a notification names.</summary>
    public async Task<NotificationPolicy?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PolicyRow>(new CommandDefinition(SelectColumns + " WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToPolicy();
    }

    /// <summary>An organization's policies in routing order.</summary>
    public async Task<IReadOnlyList<NotificationPolicy>> ListAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PolicyRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId ORDER BY position, id", new { OrganizationId = organizationId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPolicy()).ToList();
    }

    private DynamicParameters Parameters(string organizationId, NotificationPolicyDefinition d)
    {
        var p = new DynamicParameters();
        p.Add("OrganizationId", organizationId);
        p.Add("Name", d.Name);
        p.Add("Position", d.Position);
        p.Add("Matchers", d.Matchers);
        p.Add("Channels", d.Channels);
        p.Add("Notification", d.Notification);
        p.Add("Continue", d.ContinueMatching ? 1 : 0);
        p.Add("Enabled", d.Enabled ? 1 : 0);
        p.Add("Now", DbTime.ToText(timeProvider.GetUtcNow()));
        return p;
    }

    private sealed class PolicyRow
    {
        public long Id { get; set; }

        public string OrganizationId { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public long Position { get; set; }

        public string Matchers { get; set; } = "[]";

        public string Channels { get; set; } = "[]";

        public string Notification { get; set; } = "{}";

        public long ContinueMatching { get; set; }

        public long Enabled { get; set; }

        public string CreatedAt { get; set; } = string.Empty;

        public string UpdatedAt { get; set; } = string.Empty;

        public NotificationPolicy ToPolicy() => new(
            Id, OrganizationId, Name, (int)Position, Matchers, Channels, Notification, ContinueMatching != 0, Enabled != 0, DbTime.ParseText(CreatedAt), DbTime.ParseText(UpdatedAt));
    }
}
