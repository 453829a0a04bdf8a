using Dapper;
using IntentVision.Data.Metrics;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Alerts;

/// <summary>Alert rules. Writes go through the one <see cref="DatabaseWriter"/>; reads use pooled connections.</summary>
public sealed class AlertRuleRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    private const string SelectColumns = """
        SELECT id AS Id, organization_id AS OrganizationId, name AS Name, kind AS Kind, metric_key AS MetricKey,
               dimension_filter AS DimensionFilter, config AS Config, channels AS Channels, suppression AS Suppression,
               enabled AS Enabled, created_at AS CreatedAt, updated_at AS UpdatedAt, labels AS Labels, runbook_url AS RunbookUrl,
               no_data_state AS NoDataState, no_data_after_seconds AS NoDataAfterSeconds, notification AS Notification
        FROM alert_rules
        """;

    /// <summary>Creates the rule; null when the organization already has a rule of that name.</summary>
    public async Task<AlertRule?> CreateAsync(string organizationId, AlertRuleDefinition definition, CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        var id = await writer.WriteAsync((scope, token) => scope.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO alert_rules (organization_id, name, kind, metric_key, dimension_filter, config, channels, suppression, enabled, created_at, updated_at,
                                     labels, runbook_url, no_data_state, no_data_after_seconds, notification)
            VALUES (@OrganizationId, @Name, @Kind, @MetricKey, @DimensionFilter, @Config, @Channels, @Suppression, @Enabled, @Now, @Now,
                    @Labels, @RunbookUrl, @NoDataState, @NoDataAfterSeconds, @Notification)
            ON CONFLICT (organization_id, name) DO NOTHING
            RETURNING id
            """,
            Parameters(organizationId, definition, now),
            scope.Transaction,
            cancellationToken: token)), cancellationToken);
        return id is { } created ? await GetAsync(organizationId, created, cancellationToken) : null;
    }

    /// <summary>Replaces the rule's definition. Returns (rule, nameTaken): rule null and nameTaken false means no such rule.</summary>
    public async Task<(AlertRule? Rule, bool NameTaken)> UpdateAsync(string organizationId, long id, AlertRuleDefinition definition, CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        var args = Parameters(organizationId, definition, now);
        args.Add("Id", id);

        var (changed, taken) = await NamedRowWrites.UpdateUnlessNameTakenAsync(writer, "alert_rules", organizationId, id, definition.Name,
            """
            UPDATE alert_rules SET name = @Name, kind = @Kind, metric_key = @MetricKey, dimension_filter = @DimensionFilter, config = @Config,
                channels = @Channels, suppression = @Suppression, enabled = @Enabled, updated_at = @Now, labels = @Labels,
                runbook_url = @RunbookUrl, no_data_state = @NoDataState, no_data_after_seconds = @NoDataAfterSeconds, notification = @Notification
            WHERE organization_id = @OrganizationId AND id = @Id
            """,
            args, cancellationToken);
        if (taken)
        {
            return (null, true);
        }

        return changed == 0 ? (null, false) : (await GetAsync(organizationId, id, cancellationToken), false);
    }

    public Task<bool> DeleteAsync(string organizationId, long id, CancellationToken cancellationToken = default) =>
        NamedRowWrites.DeleteAsync(writer, "alert_rules", organizationId, id, cancellationToken);

    public async Task<AlertRule?> GetAsync(string organizationId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RuleRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND id = @Id", new { OrganizationId = organizationId, Id = id }, cancellationToken: cancellationToken));
        return row?.ToRule();
    }

    /// <summary>A rule by id alone: the dispatcher looks up the channel a notification names.</summary>
    public async Task<AlertRule?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RuleRow>(new CommandDefinition(SelectColumns + " WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRule();
    }

    public async Task<IReadOnlyList<AlertRule>> ListAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RuleRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId ORDER BY name", new { OrganizationId = organizationId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRule()).ToList();
    }

    /// <summary>Every enabled rule of every organization: the evaluation loop's work list.</summary>
    public async Task<IReadOnlyList<AlertRule>> ListEnabledAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RuleRow>(new CommandDefinition(
            SelectColumns + " WHERE enabled = 1 ORDER BY organization_id, id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRule()).ToList();
    }

    private static DynamicParameters Parameters(string organizationId, AlertRuleDefinition d, string now)
    {
        var p = new DynamicParameters();
        p.Add("OrganizationId", organizationId);
        p.Add("Name", d.Name);
        p.Add("Kind", d.Kind);
        p.Add("MetricKey", d.MetricKey);
        p.Add("DimensionFilter", CanonicalDimensions.Serialize(d.DimensionFilter));
        p.Add("Config", d.Config);
        p.Add("Channels", d.Channels);
        p.Add("Suppression", d.Suppression);
        p.Add("Enabled", d.Enabled ? 1 : 0);
        p.Add("Now", now);
        p.Add("Labels", CanonicalDimensions.Serialize(d.Labels));
        p.Add("RunbookUrl", d.RunbookUrl);
        p.Add("NoDataState", d.NoDataState);
        p.Add("NoDataAfterSeconds", d.NoDataAfterSeconds);
        p.Add("Notification", d.Notification);
        return p;
    }

    private sealed class RuleRow
    {
        public long Id { get; set; }

        public string OrganizationId { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public string MetricKey { get; set; } = string.Empty;

        public string DimensionFilter { get; set; } = "{}";

        public string Config { get; set; } = "{}";

        public string Channels { get; set; } = "[]";

        public string Suppression { get; set; } = "[]";

        public long Enabled { get; set; }

        public string CreatedAt { get; set; } = string.Empty;

        public string UpdatedAt { get; set; } = string.Empty;

        public string Labels { get; set; } = "{}";

        public string? RunbookUrl { get; set; }

        public string NoDataState { get; set; } = "no_data";

        public double? NoDataAfterSeconds { get; set; }

        public string Notification { get; set; } = "{}";

        public AlertRule ToRule() => new(
            Id,
            OrganizationId,
            new AlertRuleDefinition(
                Name, Kind, MetricKey, CanonicalDimensions.Parse(DimensionFilter), Config, Channels, Suppression, Enabled != 0,
                CanonicalDimensions.Parse(Labels), RunbookUrl, NoDataState, NoDataAfterSeconds, Notification),
            DbTime.ParseText(CreatedAt),
            DbTime.ParseText(UpdatedAt));
    }
}
