using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Alerts;

/// <summary>
/// The dispatcher's side of the outbox: which channels have notifications due, claiming a group's notifications
/// (with a lease, so a crashed process's claims expire and another run redelivers them), recording each attempt,
/// repeats; and the API's side: an alert's delivery history. Writes go through the one <see cref="DatabaseWriter"/>.
/// </summary>
public sealed class NotificationOutboxRepository(LibSqlDataSource dataSource, DatabaseWriter writer)
{
    private const string SelectColumns = """
        SELECT id AS Id, organization_id AS OrganizationId, alert_id AS AlertId, channel_key AS ChannelKey, channel_type AS ChannelType,
               channel_target AS ChannelTarget, group_key AS GroupKey, event AS Event, snapshot AS Snapshot, status AS Status, attempts AS Attempts,
               due_at AS DueAt, deadline_at AS DeadlineAt, last_error AS LastError, last_status_code AS LastStatusCode, created_at AS CreatedAt,
               finished_at AS FinishedAt
        FROM notification_outbox
        """;

    /// <summary>Channels with a queued, unclaimed notification due at <paramref name="now"/>, the longest waiting first.</summary>
    public async Task<IReadOnlyList<DueChannel>> ListDueChannelsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DueChannel>(new CommandDefinition(
            """
            SELECT channel_key AS ChannelKey, organization_id AS OrganizationId
            FROM notification_outbox
            WHERE status = 'queued' AND due_at <= @Now AND (claimed_until IS NULL OR claimed_until < @Now)
            GROUP BY channel_key, organization_id ORDER BY min(due_at) LIMIT @Limit
            """,
            new { Now = DbTime.ToText(now), Limit = limit }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>
    /// Claims every queued notification of the channel's group that is due first, until <paramref name="leaseUntil"/>;
    /// empty when nothing is due (or another run holds the claim).
    /// </summary>
    public Task<IReadOnlyList<OutboxNotification>> ClaimNextGroupAsync(string channelKey, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        writer.WriteAsync((scope, token) => ClaimNextGroupAsync(scope, channelKey, now, leaseUntil, token), cancellationToken);

    /// <summary>The claim as one unit of work: the group's choice and its claim see the same data.</summary>
    private static async Task<IReadOnlyList<OutboxNotification>> ClaimNextGroupAsync(WriteScope scope, string channelKey, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var nowText = DbTime.ToText(now);
        var connection = scope.Connection;
        var groupKey = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            SELECT group_key FROM notification_outbox
            WHERE channel_key = @ChannelKey AND status = 'queued' AND due_at <= @Now AND (claimed_until IS NULL OR claimed_until < @Now)
            ORDER BY due_at LIMIT 1
            """,
            new { ChannelKey = channelKey, Now = nowText }, scope.Transaction, cancellationToken: cancellationToken));
        if (groupKey is null)
        {
            return [];
        }

        // The whole group rides along, also notifications not due yet: one message says everything the group has to say.
        var claimed = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            UPDATE notification_outbox SET claimed_until = @Lease
            WHERE channel_key = @ChannelKey AND group_key = @GroupKey AND status = 'queued' AND (claimed_until IS NULL OR claimed_until < @Now)
            RETURNING id AS Id, organization_id AS OrganizationId, alert_id AS AlertId, channel_key AS ChannelKey, channel_type AS ChannelType,
                      channel_target AS ChannelTarget, group_key AS GroupKey, event AS Event, snapshot AS Snapshot, status AS Status, attempts AS Attempts,
                      due_at AS DueAt, deadline_at AS DeadlineAt, last_error AS LastError, last_status_code AS LastStatusCode, created_at AS CreatedAt,
                      finished_at AS FinishedAt
            """,
            new { ChannelKey = channelKey, GroupKey = groupKey, Now = nowText, Lease = DbTime.ToText(leaseUntil) }, scope.Transaction, cancellationToken: cancellationToken));
        return claimed.Select(r => r.ToNotification()).OrderBy(n => n.Id).ToList();
    }

    /// <summary>
    /// Records one attempt at a group's message for each of its notifications, in one transaction: the attempt rows,
    /// the notifications' new status, and for a delivery the group's last notification and next repeat.
    /// </summary>
    public async Task RecordAttemptAsync(IReadOnlyList<OutboxNotification> notifications, AttemptResult result, DateTimeOffset now, TimeSpan? repeatInterval, CancellationToken cancellationToken = default)
    {
        if (notifications.Count == 0)
        {
            return;
        }

        await writer.WriteAsync((scope, token) => RecordAttemptAsync(scope, notifications, result, now, repeatInterval, token), cancellationToken, weight: notifications.Count);
    }

    private static async Task<bool> RecordAttemptAsync(WriteScope scope, IReadOnlyList<OutboxNotification> notifications, AttemptResult result, DateTimeOffset now, TimeSpan? repeatInterval, CancellationToken cancellationToken)
    {
        var nowText = DbTime.ToText(now);
        var connection = scope.Connection;
        var transaction = scope.Transaction;
        foreach (var n in notifications)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO notification_attempts (organization_id, outbox_id, attempt, outcome, error, status_code, duration_ms, at)
                VALUES (@OrganizationId, @OutboxId, @Attempt, @Outcome, @Error, @StatusCode, @DurationMs, @Now)
                """,
                new { n.OrganizationId, OutboxId = n.Id, Attempt = n.Attempts + 1, result.Outcome, result.Error, result.StatusCode, DurationMs = result.Duration.TotalMilliseconds, Now = nowText },
                transaction,
                cancellationToken: cancellationToken));
        }

        var status = result.Outcome switch { "delivered" => "delivered", "failed" => "failed", _ => "queued" };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notification_outbox SET status = @Status, attempts = attempts + 1, claimed_until = NULL, last_error = @Error, last_status_code = @StatusCode,
                   due_at = coalesce(@RetryAt, due_at), finished_at = CASE WHEN @Status = 'queued' THEN NULL ELSE @Now END
            WHERE id IN @Ids
            """,
            new
            {
                Status = status,
                result.Error,
                result.StatusCode,
                RetryAt = result.RetryAt is { } r ? DbTime.ToText(r) : null,
                Now = nowText,
                Ids = notifications.Select(n => n.Id).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
        if (status == "delivered")
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE notification_groups SET last_notified_at = @Now, repeat_at = @RepeatAt WHERE channel_key = @ChannelKey AND group_key = @GroupKey",
                new { Now = nowText, RepeatAt = repeatInterval is { } ri ? DbTime.ToText(now + ri) : null, notifications[0].ChannelKey, notifications[0].GroupKey },
                transaction,
                cancellationToken: cancellationToken));
        }

        return true;
    }

    /// <summary>Marks notifications of silenced alerts: they are not sent, and say so in the history.</summary>
    public async Task MarkSilencedAsync(IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE notification_outbox SET status = 'silenced', claimed_until = NULL, finished_at = @Now WHERE id IN @Ids",
                new { Ids = ids.ToArray(), Now = DbTime.ToText(now) }, scope.Transaction, cancellationToken: token)),
            cancellationToken);
    }

    /// <summary>Gives claims back (on shutdown), so the next run takes them at once instead of after the lease.</summary>
    public async Task ReleaseAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE notification_outbox SET claimed_until = NULL WHERE id IN @Ids AND status = 'queued'", new { Ids = ids.ToArray() }, scope.Transaction, cancellationToken: token)),
            cancellationToken);
    }

    /// <summary>
    /// Queues a repeat for every group whose repeat time has come and that still has open, announced, unacknowledged,
    /// unsilenced alerts (one row per such alert, carrying its latest snapshot); clears the repeat time of the others.
    /// Returns how many repeats were queued.
    /// </summary>
    public async Task<int> QueueDueRepeatsAsync(DateTimeOffset now, TimeSpan deliveryDeadline, CancellationToken cancellationToken = default)
    {
        var nowText = DbTime.ToText(now);

        // Asked twice a second: a read first, so an idle outbox never queues a write.
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT 1 FROM notification_groups WHERE repeat_at <= @Now LIMIT 1", new { Now = nowText }, cancellationToken: cancellationToken)) is null)
            {
                return 0;
            }
        }

        return await writer.WriteAsync(async (scope, token) =>
        {
            var queued = await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notification_outbox (organization_id, alert_id, channel_key, channel_type, channel_target, group_key, event, snapshot, status, due_at, deadline_at, created_at)
            SELECT o.organization_id, o.alert_id, o.channel_key, o.channel_type, o.channel_target, o.group_key, 'repeat', o.snapshot, 'queued', @Now, @Deadline, @Now
            FROM notification_outbox o
            JOIN notification_groups g ON g.channel_key = o.channel_key AND g.group_key = o.group_key
            JOIN alerts a ON a.id = o.alert_id
            WHERE g.repeat_at <= @Now AND a.state IN ('firing', 'no_data') AND a.acknowledged_at IS NULL AND a.silenced_by IS NULL
              AND o.id = (SELECT max(l.id) FROM notification_outbox l WHERE l.alert_id = o.alert_id AND l.channel_key = o.channel_key AND l.group_key = o.group_key)
              AND NOT EXISTS (SELECT 1 FROM notification_outbox q WHERE q.channel_key = o.channel_key AND q.group_key = o.group_key AND q.status = 'queued')
            """,
            new { Now = nowText, Deadline = DbTime.ToText(now + deliveryDeadline) }, scope.Transaction, cancellationToken: token));
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE notification_groups SET repeat_at = NULL WHERE repeat_at <= @Now", new { Now = nowText }, scope.Transaction, cancellationToken: token));
            return queued;
        }, cancellationToken);
    }

    /// <summary>An alert's notifications with their attempts, oldest first.</summary>
    public async Task<IReadOnlyList<NotificationHistory>> ListForAlertAsync(string organizationId, long alertId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND alert_id = @AlertId ORDER BY id",
            new { OrganizationId = organizationId, AlertId = alertId }, cancellationToken: cancellationToken))).Select(r => r.ToNotification()).ToList();
        var attempts = (await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            """
            SELECT t.outbox_id AS OutboxId, t.attempt AS Attempt, t.outcome AS Outcome, t.error AS Error, t.status_code AS StatusCode, t.duration_ms AS DurationMs, t.at AS At
            FROM notification_attempts t JOIN notification_outbox o ON o.id = t.outbox_id
            WHERE o.organization_id = @OrganizationId AND o.alert_id = @AlertId ORDER BY t.id
            """,
            new { OrganizationId = organizationId, AlertId = alertId }, cancellationToken: cancellationToken))).Select(a => a.ToAttempt()).ToLookup(a => a.OutboxId);
        return rows.Select(r => new NotificationHistory(r, attempts[r.Id].ToList())).ToList();
    }

    /// <summary>An organization's notifications, newest first, optionally of one status.</summary>
    public async Task<IReadOnlyList<OutboxNotification>> ListAsync(string organizationId, string? status, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND (@Status IS NULL OR status = @Status) ORDER BY id DESC LIMIT @Limit",
            new { OrganizationId = organizationId, Status = status, Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToNotification()).ToList();
    }

    private sealed class OutboxRow
    {
        public long Id { get; set; }

        public string OrganizationId { get; set; } = string.Empty;

        public long AlertId { get; set; }

        public string ChannelKey { get; set; } = string.Empty;

        public string ChannelType { get; set; } = string.Empty;

        public string ChannelTarget { get; set; } = string.Empty;

        public string GroupKey { get; set; } = string.Empty;

        public string Event { get; set; } = string.Empty;

        public string Snapshot { get; set; } = "{}";

        public string Status { get; set; } = string.Empty;

        public long Attempts { get; set; }

        public string DueAt { get; set; } = string.Empty;

        public string DeadlineAt { get; set; } = string.Empty;

        public string? LastError { get; set; }

        public long? LastStatusCode { get; set; }

        public string CreatedAt { get; set; } = string.Empty;

        public string? FinishedAt { get; set; }

        public OutboxNotification ToNotification() => new(
            Id, OrganizationId, AlertId, ChannelKey, ChannelType, ChannelTarget, GroupKey, Event, Snapshot, Status, (int)Attempts,
            DbTime.ParseText(DueAt), DbTime.ParseText(DeadlineAt), LastError, (int?)LastStatusCode, DbTime.ParseText(CreatedAt), DbTime.ParseText(FinishedAt, allowNull: true));
    }

    private sealed class AttemptRow
    {
        public long OutboxId { get; set; }

        public long Attempt { get; set; }

        public string Outcome { get; set; } = string.Empty;

        public string? Error { get; set; }

        public long? StatusCode { get; set; }

        public double DurationMs { get; set; }

        public string At { get; set; } = string.Empty;

        public NotificationAttempt ToAttempt() => new(OutboxId, (int)Attempt, Outcome, Error, (int?)StatusCode, DurationMs, DbTime.ParseText(At));
    }
}
