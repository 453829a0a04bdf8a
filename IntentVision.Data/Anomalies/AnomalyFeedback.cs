namespace IntentVision.Data.Anomalies;

/// <summary>An analyst's verdict on an anomaly. <see cref="By"/> names the caller as the API identifies it (the key's id).</summary>
public sealed record AnomalyFeedback(string Verdict, string? Comment, string By, DateTimeOffset At)
{
    public const string NotAnomaly = "not_anomaly";

    public static IReadOnlyList<string> Verdicts { get; } = [NotAnomaly];
}
