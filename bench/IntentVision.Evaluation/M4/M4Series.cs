namespace IntentVision.Evaluation.M4;

/// <summary>One M4 series: its training values and the held-out values that follow them.</summary>
public sealed record M4Series(string Id, double[] Train, double[] Test);
