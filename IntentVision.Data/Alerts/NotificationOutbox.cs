using System.Data.Common;
using Dapper;
using IntentVision.Data.Metrics;

namespace IntentVision.Data.Alerts;

/// <summary>Queues outbox rows inside a caller's transaction (the alert change that the rows report).</summary>
internal static class NotificationOutbox
{
    public static async Task QueueAsync(DbConnection connection, DbTransaction transaction, Alert alert, IReadOnlyList<NewNotification> notifications, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var n in notifications)
        {
            var lastNotified = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT last_notified_at FROM notification_groups WHERE channel_key = @ChannelKey AND group_key = @GroupKey",
                new { n.ChannelKey, n.GroupKey }, transaction, cancellationToken: cancellationToken));
            if (lastNotified is null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO notification_groups (channel_key, group_key, organization_id, group_labels) VALUES (@ChannelKey, @GroupKey, @OrganizationId, @Labels)
                    ON CONFLICT (channel_key, group_key) DO NOTHING
                    """,
                    new { n.ChannelKey, n.GroupKey, alert.OrganizationId, Labels = CanonicalDimensions.Serialize(n.GroupLabels) }, transaction, cancellationToken: cancellationToken));
            }

            // A new group waits to gather its first alerts; an announced group is told of changes at most once per interval.
            var due = lastNotified is null ? now + n.GroupWait : Max(now, DbTime.ParseText(lastNotified) + n.GroupInterval);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO notification_outbox (organization_id, alert_id, channel_key, channel_type, channel_target, group_key, event, snapshot, status, due_at, deadline_at, created_at)
                VALUES (@OrganizationId, @AlertId, @ChannelKey, @ChannelType, @ChannelTarget, @GroupKey, @Event, @Snapshot, 'queued', @Due, @Deadline, @Now)
                """,
                new
                {
                    alert.OrganizationId,
                    AlertId = alert.Id,
                    n.ChannelKey,
                    n.ChannelType,
                    n.ChannelTarget,
                    n.GroupKey,
                    n.Event,
                    n.Snapshot,
                    Due = DbTime.ToText(due),
                    Deadline = DbTime.ToText(due + n.DeliveryDeadline),
                    Now = DbTime.ToText(now),
                },
                transaction,
                cancellationToken: cancellationToken));
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
