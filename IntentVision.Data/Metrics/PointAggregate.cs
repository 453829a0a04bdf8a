namespace IntentVision.Data.Metrics;

/// <summary>How the points of one time bucket are folded into one value.</summary>
public enum PointAggregate
{
    Avg,
    Min,
    Max,
    Sum,
    Count,
    Last,
}
