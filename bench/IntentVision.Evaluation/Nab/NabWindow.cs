namespace IntentVision.Evaluation.Nab;

/// <summary>A labelled anomaly window, inclusive at both ends.</summary>
public sealed record NabWindow(DateTime Start, DateTime End);
