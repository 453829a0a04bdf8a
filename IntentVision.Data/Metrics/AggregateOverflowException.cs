namespace IntentVision.Data.Metrics;

/// <summary>
/// A bucket's aggregate left the range of a double (a sum of values near ±1.8e308). Infinity can be neither stored,
/// sent over Hrana nor written as JSON, so the read refuses instead of answering a number that is not one.
/// </summary>
public sealed class AggregateOverflowException(string aggregate)
    : Exception($"The {aggregate} of a bucket is outside the range of a double.")
{
    /// <summary>The aggregate that overflowed, as the API names it (<c>sum</c>, <c>avg</c>).</summary>
    public string Aggregate { get; } = aggregate;
}
