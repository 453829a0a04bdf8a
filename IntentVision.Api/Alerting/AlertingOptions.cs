using IntentVision.Api.Jobs;

namespace IntentVision.Api.Alerting;

/// <summary>Configuration <c>IntentVision:Jobs:Alerting</c>: the evaluation interval and webhook delivery.</summary>
public sealed class AlertingOptions : JobOptions
{
    public AlertingOptions() => Interval = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per delivery, the first included.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Wait before the second attempt; doubled before each further one.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether webhook URLs may point at this host (off in production to keep rules from probing local services).</summary>
    public bool AllowLoopbackWebhooks { get; set; }
}
