namespace IntentVision.Analytics.Series;

/// <summary>A series on an exact time grid: value i is at <c>Start + i * Frequency</c>.</summary>
/// <param name="FilledGaps">Grid slots that had no observation and were interpolated.</param>
/// <param name="MergedObservations">Observations that shared a slot with another and were averaged into it.</param>
public sealed record RegularSeries(
    DateTimeOffset Start,
    TimeSpan Frequency,
    IReadOnlyList<double> Values,
    int FilledGaps,
    int MergedObservations)
{
    public DateTimeOffset TimestampAt(int index) => Start + (Frequency * index);
}
