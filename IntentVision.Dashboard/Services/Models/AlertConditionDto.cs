namespace IntentVision.Dashboard.Services;

/// <summary>A rule's settings; which ones apply depends on its kind (the API names each in its errors as condition.&lt;name&gt;).</summary>
public sealed record AlertConditionDto(
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
    double? PendingSeconds = null);
