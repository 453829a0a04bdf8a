using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Data.Alerts;

/// <summary>Alerts and their deliveries. State changes are conditional updates, so two evaluators cannot both move one alert.</summary>
public sealed class AlertRepository(LibSqlDataSource dataSource, TimeProvider timeProvider)
{
    private const string SelectColumns = """
        SELECT id AS Id, organization_id AS OrganizationId, rule_id AS RuleId, series_id AS SeriesId, state AS State, dedup_key AS DedupKey,
               message AS Message, value AS Value, started_at AS StartedAt, fired_at AS FiredAt, acknowledged_at AS AcknowledgedAt,
               resolved_at AS ResolvedAt, updated_at AS UpdatedAt
        FROM alerts
        """;

    /// <summary>The open (not resolved) alert of a rule for a deduplication key, if any.</summary>
    public async Task<Alert?> FindOpenAsync(long ruleId, string dedupKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AlertRow>(new CommandDefinition(
            SelectColumns + " WHERE rule_id = @RuleId AND dedup_key = @DedupKey AND state <> 'resolved'",
            new { RuleId = ruleId, DedupKey = dedupKey }, cancellationToken: cancellationToken));
        return row?.ToAlert();
    }

    /// <summary>Opens an alert; null when one is open already for the rule and key (the unique index deduplicates).</summary>
    public async Task<Alert?> OpenAsync(string organizationId, long ruleId, long? seriesId, string dedupKey, string state, string message, double? value, DateTimeOffset startedAt, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO alerts (organization_id, rule_id, series_id, state, dedup_key, message, value, started_at, fired_at, updated_at)
            VALUES (@OrganizationId, @RuleId, @SeriesId, @State, @DedupKey, @Message, @Value, @StartedAt, @FiredAt, @Now)
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
            new
            {
                OrganizationId = organizationId,
                RuleId = ruleId,
                SeriesId = seriesId,
                State = state,
                DedupKey = dedupKey,
                Message = message,
                Value = value,
                StartedAt = DbTime.ToText(startedAt),
                FiredAt = state == "firing" ? DbTime.ToText(now) : null,
                Now = DbTime.ToText(now),
            },
            cancellationToken: cancellationToken));
        return id is { } created ? await GetAsync(organizationId, created, cancellationToken) : null;
    }

    /// <summary>Moves an alert from one of <paramref name="fromStates"/> to <paramref name="toState"/>; null when it was not in one of them.</summary>
    public async Task<Alert?> TransitionAsync(long id, IReadOnlyList<string> fromStates, string toState, string? message, double? value, CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alerts SET
                state = @ToState,
                message = coalesce(@Message, message),
                value = coalesce(@Value, value),
                fired_at = CASE WHEN @ToState = 'firing' AND fired_at IS NULL THEN @Now ELSE fired_at END,
                acknowledged_at = CASE WHEN @ToState = 'acknowledged' THEN @Now ELSE acknowledged_at END,
                resolved_at = CASE WHEN @ToState = 'resolved' THEN @Now ELSE resolved_at END,
                updated_at = @Now
            WHERE id = @Id AND state IN @FromStates
            """,
            new { Id = id, FromStates = fromStates, ToState = toState, Message = message, Value = value, Now = now },
            cancellationToken: cancellationToken));
        if (changed == 0)
        {
            return null;
        }

        var row = await connection.QuerySingleOrDefaultAsync<AlertRow>(new CommandDefinition(SelectColumns + " WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToAlert();
    }

    public async Task<Alert?> GetAsync(string organizationId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AlertRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND id = @Id", new { OrganizationId = organizationId, Id = id }, cancellationToken: cancellationToken));
        return row?.ToAlert();
    }

    public async Task<IReadOnlyList<Alert>> ListAsync(string organizationId, string? state, long? ruleId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AlertRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND (@State IS NULL OR state = @State) AND (@RuleId IS NULL OR rule_id = @RuleId) ORDER BY updated_at DESC, id DESC LIMIT @Limit",
            new { OrganizationId = organizationId, State = state, RuleId = ruleId, Limit = limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToAlert()).ToList();
    }

    /// <summary>Open alerts of a rule (for resolving those whose series no longer breaches).</summary>
    public async Task<IReadOnlyList<Alert>> ListOpenForRuleAsync(long ruleId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AlertRow>(new CommandDefinition(
            SelectColumns + " WHERE rule_id = @RuleId AND state <> 'resolved'", new { RuleId = ruleId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToAlert()).ToList();
    }

    public async Task RecordDeliveryAsync(string organizationId, long alertId, string channelUrl, string alertEvent, int attempts, bool succeeded, int? statusCode, string? error, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO alert_deliveries (organization_id, alert_id, channel_url, event, attempts, succeeded, status_code, error, created_at)
            VALUES (@OrganizationId, @AlertId, @ChannelUrl, @Event, @Attempts, @Succeeded, @StatusCode, @Error, @Now)
            """,
            new
            {
                OrganizationId = organizationId,
                AlertId = alertId,
                ChannelUrl = channelUrl,
                Event = alertEvent,
                Attempts = attempts,
                Succeeded = succeeded ? 1 : 0,
                StatusCode = statusCode,
                Error = error,
                Now = DbTime.ToText(timeProvider.GetUtcNow()),
            },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AlertDelivery>> ListDeliveriesAsync(string organizationId, long alertId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            """
            SELECT id AS Id, alert_id AS AlertId, channel_url AS ChannelUrl, event AS Event, attempts AS Attempts, succeeded AS Succeeded,
                   status_code AS StatusCode, error AS Error, created_at AS CreatedAt
            FROM alert_deliveries WHERE organization_id = @OrganizationId AND alert_id = @AlertId ORDER BY id
            """,
            new { OrganizationId = organizationId, AlertId = alertId },
            cancellationToken: cancellationToken));
        return rows.Select(r => new AlertDelivery(r.Id, r.AlertId, r.ChannelUrl, r.Event, (int)r.Attempts, r.Succeeded != 0, (int?)r.StatusCode, r.Error, DbTime.ParseText(r.CreatedAt))).ToList();
    }

    private sealed class DeliveryRow
    {
        public long Id { get; set; }

        public long AlertId { get; set; }

        public string ChannelUrl { get; set; } = string.Empty;

        public string Event { get; set; } = string.Empty;

        public long Attempts { get; set; }

        public long Succeeded { get; set; }

        public long? StatusCode { get; set; }

        public string? Error { get; set; }

        public string CreatedAt { get; set; } = string.Empty;
    }

    private sealed class AlertRow
    {
        public long Id { get; set; }

        public string OrganizationId { get; set; } = string.Empty;

        public long RuleId { get; set; }

        public long? SeriesId { get; set; }

        public string State { get; set; } = string.Empty;

        public string DedupKey { get; set; } = string.Empty;

        public string Message { get; set; } = string.Empty;

        public double? Value { get; set; }

        public string StartedAt { get; set; } = string.Empty;

        public string? FiredAt { get; set; }

        public string? AcknowledgedAt { get; set; }

        public string? ResolvedAt { get; set; }

        public string UpdatedAt { get; set; } = string.Empty;

        public Alert ToAlert() => new(
            Id, OrganizationId, RuleId, SeriesId, State, DedupKey, Message, Value, DbTime.ParseText(StartedAt),
            DbTime.ParseText(FiredAt, allowNull: true), DbTime.ParseText(AcknowledgedAt, allowNull: true), DbTime.ParseText(ResolvedAt, allowNull: true),
            DbTime.ParseText(UpdatedAt));
    }
}
