namespace IntentVision.Analytics.Alerting;

/// <summary>Outcome of evaluating one rule at one moment.</summary>
/// <param name="Since">When the breach began; null when not firing (or when only a forecast breaches: it begins when first predicted).</param>
/// <param name="Indeterminate">The inputs cannot tell (e.g. no forecast covers the horizon): an open alert keeps its state.</param>
/// <param name="PredictedAt">For a forecast breach, when the forecast crosses the threshold.</param>
public sealed record AlertEvaluation(
    bool Firing,
    string Reason,
    DateTimeOffset? Since = null,
    double? ObservedValue = null,
    bool Indeterminate = false,
    DateTimeOffset? PredictedAt = null);
