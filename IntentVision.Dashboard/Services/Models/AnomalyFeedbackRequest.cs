namespace IntentVision.Dashboard.Services;

public sealed record AnomalyFeedbackRequest(string Verdict, string? Comment);
