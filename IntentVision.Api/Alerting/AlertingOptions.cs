using IntentVision.Api.Jobs;

namespace IntentVision.Api.Alerting;

/// <summary>Configuration <c>IntentVision:Jobs:Alerting</c>: the evaluation interval, and how notifications are delivered.</summary>
public sealed class AlertingOptions : JobOptions
{
    public AlertingOptions() => Interval = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one delivery attempt (connect, send, answer).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before the second attempt; doubled before each further one (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a notification is retried (across restarts too) before it is given up as failed.</summary>
    public TimeSpan DeliveryDeadline { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Attempts per notification before it fails; 0: retried until <see cref="DeliveryDeadline"/>.</summary>
    public int MaxAttempts { get; set; }

    /// <summary>Deliveries in flight at once, over all channels.</summary>
    public int MaxParallelDeliveries { get; set; } = 32;

    /// <summary>Deliveries in flight at once for one organization, so one tenant's slow endpoints cannot take every slot.</summary>
    public int MaxParallelDeliveriesPerOrganization { get; set; } = 4;

    /// <summary>How often the dispatcher looks for due notifications (it is also woken after each evaluation).</summary>
    public TimeSpan DispatchPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The dashboard's base URL, for the link in each notification (e.g. http://localhost:5190); none when empty.</summary>
    public string? DashboardUrl { get; set; }

    /// <summary>Whether the dispatcher runs in the background (tests drive it by hand).</summary>
    public bool DispatcherEnabled { get; set; } = true;
}
