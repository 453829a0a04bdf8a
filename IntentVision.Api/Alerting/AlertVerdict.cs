using IntentVision.Analytics.Alerting;

namespace IntentVision.Api.Alerting;

/// <summary>What one evaluation says about one series, after the rule's no-data handling.</summary>
public enum VerdictKind
{
    Breaching,
    Clear,
    NoData,

    /// <summary>Cannot tell: an open alert keeps its state.</summary>
    Unknown,
}

/// <param name="LastSeen">For no data: the series' newest point, if it ever had one.</param>
public sealed record AlertVerdict(VerdictKind Kind, AlertEvaluation Evaluation, DateTimeOffset? LastSeen = null);
