namespace IntentVision.Dashboard.Services;

/// <summary>What a threshold or rate rule does when its series stops reporting: no_data, alerting, ok or keep_last, after so many seconds.</summary>
public sealed record NoDataSettingsDto(string? State = null, double? AfterSeconds = null);
