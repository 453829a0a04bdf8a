namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>What kind of departure from the expected behaviour a point shows.</summary>
public enum AnomalyType
{
    None = 0,

    /// <summary>An isolated value far from what was expected (a spike or dip).</summary>
    Point = 1,

    /// <summary>The series has moved to a new level and stayed there.</summary>
    LevelShift = 2,

    /// <summary>The series has started drifting away at a new slope.</summary>
    TrendChange = 3,
}
