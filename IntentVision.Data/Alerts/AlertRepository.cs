using System.Data.Common;
using Dapper;
using IntentVision.Data.Metrics;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Alerts;

/// <summary>
/// Alerts. Every change that notifies goes through <see cref="WriteChangeWithNotificationsAsync"/>: the alert row and
/// its outbox rows commit together or not at all. State changes are conditional updates, so two evaluators (or an
/// evaluator and a person) cannot both move one alert. Writes go through the one <see cref="DatabaseWriter"/>.
/// </summary>
public sealed class AlertRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    private const string SelectColumns = """
        SELECT id AS Id, organization_id AS OrganizationId, rule_id AS RuleId, series_id AS SeriesId, state AS State, dedup_key AS DedupKey,
               message AS Message, value AS Value, started_at AS StartedAt, fired_at AS FiredAt, acknowledged_at AS AcknowledgedAt,
               resolved_at AS ResolvedAt, updated_at AS UpdatedAt, labels AS Labels, details AS Details, acknowledged_by AS AcknowledgedBy,
               resolved_by AS ResolvedBy, clear_since AS ClearSince, silenced_by AS SilencedBy
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

    /// <summary>Open alerts of a rule, by deduplication key.</summary>
    public async Task<IReadOnlyDictionary<string, Alert>> ListOpenForRuleAsync(long ruleId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AlertRow>(new CommandDefinition(
            SelectColumns + " WHERE rule_id = @RuleId AND state <> 'resolved'", new { RuleId = ruleId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToAlert()).ToDictionary(a => a.DedupKey, StringComparer.Ordinal);
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

    /// <summary>
    /// Applies <paramref name="change"/> and queues the notifications <paramref name="notify"/> builds from the
    /// changed alert, in ONE transaction: both are written, or neither. Returns the alert as changed, or null when
    /// nothing changed (an alert already open for the key, or not in one of the expected states).
    /// </summary>
    public Task<Alert?> WriteChangeWithNotificationsAsync(AlertChange change, Func<Alert, IReadOnlyList<NewNotification>> notify, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(notify);
        var now = timeProvider.GetUtcNow();
        return writer.WriteAsync<Alert?>(async (scope, token) =>
        {
            var connection = scope.Connection;
            var transaction = scope.Transaction;
            var id = change.AlertId is null
                ? await InsertAsync(connection, transaction, change, now, token)
                : await UpdateAsync(connection, transaction, change, now, token);
            if (id is null)
            {
                // Nothing changed, so nothing is written (no row was touched: the unit's savepoint holds nothing).
                return null;
            }

            var alert = (await connection.QuerySingleAsync<AlertRow>(new CommandDefinition(SelectColumns + " WHERE id = @Id", new { Id = id }, transaction, cancellationToken: token))).ToAlert();
            await NotificationOutbox.QueueAsync(connection, transaction, alert, notify(alert), now, token);
            return alert;
        }, cancellationToken);
    }

    /// <summary>Acknowledges an open alert once: who and when are recorded the first time and never rewritten. Null when the alert is resolved.</summary>
    public async Task<Alert?> AcknowledgeAsync(string organizationId, long id, string by, CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        await writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE alerts SET state = CASE WHEN state IN ('pending', 'firing') THEN 'acknowledged' ELSE state END,
                                  acknowledged_at = @Now, acknowledged_by = @By, updated_at = @Now
                WHERE organization_id = @OrganizationId AND id = @Id AND state <> 'resolved' AND acknowledged_at IS NULL
                """,
                new { OrganizationId = organizationId, Id = id, By = by, Now = now }, scope.Transaction, cancellationToken: token)),
            cancellationToken);
        var alert = await GetAsync(organizationId, id, cancellationToken);
        return alert is { AcknowledgedAt: not null, IsOpen: true } ? alert : null;
    }

    /// <summary>
    /// Records what an evaluation saw without changing the alert's state (so <c>updatedAt</c> stays the time of the
    /// last state change): the latest value, since when the condition has been clear (flap damping), the silence muting it.
    /// </summary>
    public Task RecordObservationAsync(long id, double? value, DateTimeOffset? clearSince, long? silencedBy, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE alerts SET value = coalesce(@Value, value), clear_since = @ClearSince, silenced_by = @SilencedBy WHERE id = @Id",
                new { Id = id, Value = value, ClearSince = clearSince is { } c ? DbTime.ToText(c) : null, SilencedBy = silencedBy },
                scope.Transaction,
                cancellationToken: token)),
            cancellationToken);

    private static async Task<long?> InsertAsync(DbConnection connection, DbTransaction transaction, AlertChange c, DateTimeOffset now, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO alerts (organization_id, rule_id, series_id, state, dedup_key, message, value, labels, details, started_at, fired_at, updated_at)
            VALUES (@OrganizationId, @RuleId, @SeriesId, @State, @DedupKey, @Message, @Value, @Labels, @Details, @StartedAt, @FiredAt, @Now)
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
            new
            {
                c.OrganizationId,
                c.RuleId,
                c.SeriesId,
                c.State,
                c.DedupKey,
                Message = c.Message ?? string.Empty,
                c.Value,
                Labels = CanonicalDimensions.Serialize(c.Labels),
                Details = c.Details ?? "{}",
                StartedAt = DbTime.ToText(c.StartedAt),
                FiredAt = c.State is AlertStates.Firing or AlertStates.NoData ? DbTime.ToText(now) : null,
                Now = DbTime.ToText(now),
            },
            transaction,
            cancellationToken: cancellationToken));

    private static async Task<long?> UpdateAsync(DbConnection connection, DbTransaction transaction, AlertChange c, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alerts SET
                state = @State,
                message = coalesce(@Message, message),
                value = coalesce(@Value, value),
                details = coalesce(@Details, details),
                fired_at = CASE WHEN @State IN ('firing', 'no_data') AND fired_at IS NULL THEN @Now ELSE fired_at END,
                resolved_at = CASE WHEN @State = 'resolved' THEN @Now ELSE resolved_at END,
                resolved_by = CASE WHEN @State = 'resolved' THEN @Actor ELSE resolved_by END,
                clear_since = NULL,
                updated_at = @Now
            WHERE id = @Id AND state IN @FromStates
            """,
            new { Id = c.AlertId, c.FromStates, c.State, c.Message, c.Value, c.Details, c.Actor, Now = DbTime.ToText(now) },
            transaction,
            cancellationToken: cancellationToken));
        return changed == 0 ? null : c.AlertId;
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

        public string Labels { get; set; } = "{}";

        public string Details { get; set; } = "{}";

        public string? AcknowledgedBy { get; set; }

        public string? ResolvedBy { get; set; }

        public string? ClearSince { get; set; }

        public long? SilencedBy { get; set; }

        public Alert ToAlert() => new(
            Id, OrganizationId, RuleId, SeriesId, State, DedupKey, Message, Value, DbTime.ParseText(StartedAt),
            DbTime.ParseText(FiredAt, allowNull: true), DbTime.ParseText(AcknowledgedAt, allowNull: true), DbTime.ParseText(ResolvedAt, allowNull: true),
            DbTime.ParseText(UpdatedAt), CanonicalDimensions.Parse(Labels), Details, AcknowledgedBy, ResolvedBy,
            DbTime.ParseText(ClearSince, allowNull: true), SilencedBy);
    }
}
