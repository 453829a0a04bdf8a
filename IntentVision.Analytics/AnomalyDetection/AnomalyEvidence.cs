namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>Which reading of a point decided its score.</summary>
public enum AnomalyEvidence
{
    /// <summary>Nothing: the point scored 0.</summary>
    None = 0,

    /// <summary>The sequence leading to the value was new to the learned contexts.</summary>
    Pattern = 1,

    /// <summary>The value lies beyond the lowest or highest value seen so far.</summary>
    NewExtreme = 2,

    /// <summary>The value lies far from the expected value, in robust standard deviations.</summary>
    Deviation = 3,
}
