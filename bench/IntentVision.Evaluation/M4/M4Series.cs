namespace IntentVision.Evaluation.M4;

/// <summary>One M4 series: its training values and the 48 held-out test values.</summary>
public sealed record M4Series(string Id, double[] Train, double[] Test);
