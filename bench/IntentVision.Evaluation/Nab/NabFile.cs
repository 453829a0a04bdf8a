namespace IntentVision.Evaluation.Nab;

/// <summary>One scored data file: its rows' timestamps, the detector's scores and the labelled windows.</summary>
public sealed record NabFile(string Name, IReadOnlyList<DateTime> Timestamps, IReadOnlyList<double> Scores, IReadOnlyList<NabWindow> Windows);
