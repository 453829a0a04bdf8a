namespace IntentVision.Evaluation.M4;

/// <summary>A method's averages over all series.</summary>
public sealed record M4MethodScore(string Method, double Smape, double Mase, double Coverage80, double Coverage95, TimeSpan Elapsed, IReadOnlyDictionary<string, int> ChosenMethods);
