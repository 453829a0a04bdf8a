namespace IntentVision.Api.Alerting;

/// <summary>
/// The settings of a rule; which ones are required depends on its kind:
/// <c>threshold</c>: operator, threshold, durationSeconds; <c>anomaly</c>: minimumSeverity, lookbackSeconds;
/// <c>forecast_breach</c>: operator, threshold, horizonSeconds, useUpper95; <c>rate_of_change</c>: maxChangePerUnit,
/// unitSeconds, lookbackSeconds; <c>missing_data</c>: maxSilenceSeconds. <c>pendingSeconds</c> (any kind) is how long
/// a breach must last before a pending alert fires; <c>keepFiringForSeconds</c> (any kind) how long the condition must
/// stay clear before a firing alert resolves (flap damping, as Prometheus' keep_firing_for).
/// </summary>
public sealed record AlertCondition(
    string? Operator = null,
    double? Threshold = null,
    double? DurationSeconds = null,
    string? MinimumSeverity = null,
    double? LookbackSeconds = null,
    double? HorizonSeconds = null,
    bool? UseUpper95 = null,
    double? MaxChangePerUnit = null,
    double? UnitSeconds = null,
    double? MaxSilenceSeconds = null,
    double? PendingSeconds = null,
    double? KeepFiringForSeconds = null);
