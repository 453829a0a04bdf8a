namespace IntentVision.Evaluation.Nab;

/// <summary>A NAB scoring profile: the weights of true positives, false positives and false negatives.</summary>
public sealed record NabProfile(string Name, double TruePositiveWeight, double FalsePositiveWeight, double FalseNegativeWeight)
{
    public static NabProfile Standard { get; } = new("standard", 1, 0.11, 1);

    public static NabProfile RewardLowFalsePositives { get; } = new("reward_low_FP_rate", 1, 0.22, 1);

    public static NabProfile RewardLowFalseNegatives { get; } = new("reward_low_FN_rate", 1, 0.11, 2);

    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFalsePositives, RewardLowFalseNegatives];
}
