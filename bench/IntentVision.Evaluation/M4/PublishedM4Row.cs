namespace IntentVision.Evaluation.M4;

/// <summary>A method's published scores for one frequency from the M4 results table.</summary>
public sealed record PublishedM4Row(string Method, double Smape, double Mase, double Owa);
