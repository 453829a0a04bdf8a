namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// How many quantisations of the value range the contextual score is averaged over. One grid makes the score depend on
/// where its bin edges happen to fall (a value just across an edge is a new context) and leaves it on a few discrete
/// levels; averaging several grids (bagging) smooths both.
/// </summary>
public enum ContextBagging
{
    /// <summary>One grid of 2^<see cref="AnomalyDetectorOptions.ContextBits"/> bins (CAD OSE as published).</summary>
    None,

    /// <summary>
    /// <see cref="AnomalyDetectorOptions.ContextBagSize"/> grids of 2^bits bins, the j-th with its bin edges moved by j/size
    /// of a bin.
    /// </summary>
    ShiftedEdges,

    /// <summary>
    /// <see cref="AnomalyDetectorOptions.ContextBagSize"/> grids of neighbouring resolutions centred on
    /// <see cref="AnomalyDetectorOptions.ContextBits"/> (size 3: bits - 1, bits, bits + 1; kept within 1 to 8).
    /// </summary>
    NeighbouringBits,
}
