namespace IntentVision.Evaluation.Nab;

/// <summary>The outcome of the threshold sweep for one profile over a corpus.</summary>
public sealed record NabScore(
    NabProfile Profile,
    double Threshold,
    double RawScore,
    double NullScore,
    double PerfectScore,
    int TruePositives,
    int FalsePositives,
    int FalseNegatives)
{
    public double NormalisedScore => 100 * (RawScore - NullScore) / (PerfectScore - NullScore);
}
