using System.Diagnostics;
using System.Text.Json;
using IntentVision.Api.Alerting;
using IntentVision.Data.Alerts;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Notifications;

/// <summary>
/// Delivers the outbox. Each channel with notifications due gets a worker of its own (its queue), which sends one
/// group's message at a time with a time limit per attempt and reschedules failures with exponential backoff and
/// jitter until the delivery deadline. Workers are bounded in total and per organization, so a hanging receiver
/// holds one slot of its own tenant and never delays another channel's notifications. Everything a worker needs to
/// go on lives in the outbox, so delivery continues after a restart: claims are leases that expire.
/// </summary>
public sealed class NotificationDispatcher(
    NotificationOutboxRepository outbox,
    SilenceRepository silences,
    NotificationChannelResolver channels,
    IEnumerable<INotificationSender> senders,
    AlertEvaluationGate evaluationGate,
    NotificationMetrics metrics,
    IOptions<AlertingOptions> options,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private readonly AlertingOptions _options = options.Value;
    private readonly Dictionary<string, INotificationSender> _senders = senders.ToDictionary(s => s.ChannelType, StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _activePerOrganization = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>A claim outlives the longest attempt, so a live worker never loses its group to another run.</summary>
    private TimeSpan Lease => (_options.AttemptTimeout * 2) + TimeSpan.FromSeconds(5);

    /// <summary>Asks for a pass now (after an evaluation queued notifications) instead of at the next poll.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is pending already.
        }
    }

    /// <summary>One pass, waiting for every delivery it started (tests drive the dispatcher with this).</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = await DispatchDueAsync(cancellationToken);
        await Task.WhenAll(started);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DispatcherEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchDueAsync(stoppingToken);
                await _wake.WaitAsync(_options.DispatchPollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The notification dispatcher failed a pass; it tries again in {Interval}", _options.DispatchPollInterval);
                await Task.Delay(_options.DispatchPollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        Task[] running;
        lock (_gate)
        {
            running = [.. _active.Values];
        }

        await Task.WhenAll(running);
    }

    private async Task<List<Task>> DispatchDueAsync(CancellationToken cancellationToken)
    {
        await evaluationGate.WaitForQuietAsync(TimeSpan.FromSeconds(2), cancellationToken);
        var now = time.GetUtcNow();
        var repeats = await outbox.QueueDueRepeatsAsync(now, _options.DeliveryDeadline, cancellationToken);
        if (repeats > 0)
        {
            logger.LogInformation("Queued {Count} repeat notification(s)", repeats);
        }

        var due = await outbox.ListDueChannelsAsync(now, 512, cancellationToken);
        var started = new List<Task>();
        lock (_gate)
        {
            foreach (var channel in due)
            {
                if (_active.ContainsKey(channel.ChannelKey))
                {
                    continue;
                }

                if (_active.Count >= _options.MaxParallelDeliveries)
                {
                    break;
                }

                if (_activePerOrganization.GetValueOrDefault(channel.OrganizationId) >= _options.MaxParallelDeliveriesPerOrganization)
                {
                    continue;
                }

                _activePerOrganization[channel.OrganizationId] = _activePerOrganization.GetValueOrDefault(channel.OrganizationId) + 1;
                var worker = RunChannelAsync(channel, cancellationToken);
                _active[channel.ChannelKey] = worker;
                started.Add(worker);
            }
        }

        return started;
    }

    /// <summary>One channel's queue: its due groups, one message at a time, until none is due.</summary>
    private async Task RunChannelAsync(DueChannel channel, CancellationToken cancellationToken)
    {
        await Task.Yield();
        IReadOnlyList<OutboxNotification> claimed = [];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                claimed = await outbox.ClaimNextGroupAsync(channel.ChannelKey, now, now + Lease, cancellationToken);
                if (claimed.Count == 0)
                {
                    break;
                }

                await DeliverGroupAsync(claimed, cancellationToken);
                claimed = [];
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: hand the claim back so the next run delivers at once.
            await outbox.ReleaseAsync([.. claimed.Select(n => n.Id)], CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Delivering notifications of channel {Channel} failed; they are retried when their claim expires", channel.ChannelKey);
        }
        finally
        {
            lock (_gate)
            {
                _active.Remove(channel.ChannelKey);
                _activePerOrganization[channel.OrganizationId]--;
            }

            // Another channel may have waited for this slot.
            Wake();
        }
    }

    private async Task DeliverGroupAsync(IReadOnlyList<OutboxNotification> group, CancellationToken cancellationToken)
    {
        var first = group[0];
        var now = time.GetUtcNow();
        if (await channels.ResolveAsync(first.ChannelKey, cancellationToken) is not { } resolved || !_senders.TryGetValue(first.ChannelType, out var sender))
        {
            await FailAsync(group, "channel_removed: the rule or policy no longer has this channel", null, TimeSpan.Zero, cancellationToken);
            return;
        }

        var (channel, timing) = resolved;
        var active = (await silences.ListAsync(first.OrganizationId, now, 1000, cancellationToken))
            .Select(s => JsonSerializer.Deserialize<List<LabelMatcher>>(s.Matchers, ParsedAlertRule.Json) ?? [])
            .Where(m => m.Count > 0)
            .ToList();
        var labels = group.ToDictionary(n => n.Id, n => Labels(n.Snapshot));
        var silenced = group.Where(n => active.Any(m => LabelMatcher.All(m, labels[n.Id]))).ToList();
        if (silenced.Count > 0)
        {
            await outbox.MarkSilencedAsync([.. silenced.Select(n => n.Id)], now, cancellationToken);
            metrics.Silenced(first.ChannelType, silenced.Count);
        }

        var sending = group.Except(silenced).ToList();
        if (sending.Count == 0)
        {
            return;
        }

        var groupLabels = timing.GroupBy.Count == 0
            ? labels[sending[0].Id]
            : timing.GroupBy.Distinct().ToDictionary(l => l, l => labels[sending[0].Id].GetValueOrDefault(l, string.Empty), StringComparer.Ordinal);
        var message = NotificationMessage.Build(sending, groupLabels, now);
        var started = Stopwatch.GetTimestamp();
        SendResult result;
        try
        {
            result = await sender.SendAsync(channel, message, _options.AttemptTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "The {Type} sender failed unexpectedly for channel {Channel}", first.ChannelType, first.ChannelKey);
            result = new SendResult(false, true, "bad_response: the delivery failed", null);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var after = time.GetUtcNow();
        if (result.Delivered)
        {
            await outbox.RecordAttemptAsync(sending, new AttemptResult("delivered", null, result.StatusCode, elapsed), after, timing.RepeatInterval, cancellationToken);
            foreach (var n in sending)
            {
                metrics.Delivered(n.ChannelType, after - n.CreatedAt);
            }

            return;
        }

        var attempt = sending.Max(n => n.Attempts) + 1;
        var retryAt = after + Backoff(attempt);
        var deadline = sending.Min(n => n.DeadlineAt);
        if (result.Retryable && retryAt <= deadline && (_options.MaxAttempts <= 0 || attempt < _options.MaxAttempts))
        {
            logger.LogWarning(
                "Notification attempt {Attempt} to {Type} channel {Channel} failed ({Error}); retrying at {RetryAt:O} (deadline {Deadline:O})",
                attempt, first.ChannelType, first.ChannelKey, result.Error, retryAt, deadline);
            await outbox.RecordAttemptAsync(sending, new AttemptResult("retrying", result.Error, result.StatusCode, elapsed, retryAt), after, null, cancellationToken);
            return;
        }

        await FailAsync(sending, result.Error, result.StatusCode, elapsed, cancellationToken);
    }

    private async Task FailAsync(IReadOnlyList<OutboxNotification> notifications, string? error, int? status, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var first = notifications[0];
        logger.LogError(
            "Notification(s) {Ids} to {Type} channel {Channel} of organization {Organization} failed for good after {Attempts} attempt(s): {Error}",
            string.Join(",", notifications.Select(n => n.Id)), first.ChannelType, first.ChannelKey, first.OrganizationId, notifications.Max(n => n.Attempts) + 1, error);
        await outbox.RecordAttemptAsync(notifications, new AttemptResult("failed", error, status, elapsed), time.GetUtcNow(), null, cancellationToken);
        metrics.Failed(first.ChannelType, notifications.Count);
    }

    /// <summary>Exponential backoff with "equal jitter": half the step is fixed, half random, so retries of many channels spread out.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var step = _options.InitialBackoff * Math.Pow(2, Math.Min(attempt - 1, 20));
        if (step > _options.MaxBackoff)
        {
            step = _options.MaxBackoff;
        }

        return (step / 2) + (step / 2 * Random.Shared.NextDouble());
    }

    private static Dictionary<string, string> Labels(string snapshot)
    {
        using var document = JsonDocument.Parse(snapshot);
        return document.RootElement.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Object
            ? labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal)
            : [];
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
