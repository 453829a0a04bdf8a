namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// A causal detector component. <see cref="Observe"/> sees the history strictly before the value, then the
/// value; it must score the value before learning from it.
/// </summary>
internal interface IDeviationDetector
{
    /// <param name="noiseFloor">Smallest scale a residual is judged against: the series' resolution.</param>
    Deviation Observe(ValueHistory past, int period, double value, double noiseFloor);

    /// <summary>Writes what the detector has learned (not its scratch space), for a snapshot.</summary>
    void Save(BinaryWriter writer);

    /// <summary>Restores what <see cref="Save"/> wrote, into a detector made with the same settings.</summary>
    void Load(BinaryReader reader);
}
