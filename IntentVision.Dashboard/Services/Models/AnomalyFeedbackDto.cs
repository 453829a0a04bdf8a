namespace IntentVision.Dashboard.Services;

/// <summary>An analyst's verdict on an anomaly ("not_anomaly"), who gave it and when.</summary>
public sealed record AnomalyFeedbackDto(string Verdict, string? Comment, string By, DateTimeOffset At)
{
    public const string NotAnomaly = "not_anomaly";
}
