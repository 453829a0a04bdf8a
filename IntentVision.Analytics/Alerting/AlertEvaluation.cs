namespace IntentVision.Analytics.Alerting;

/// <summary>Outcome of evaluating one rule at one moment.</summary>
/// <param name="Since">When the breach began (or will begin, for forecast rules); null when not firing.</param>
public sealed record AlertEvaluation(bool Firing, string Reason, DateTimeOffset? Since = null, double? ObservedValue = null);
