namespace IntentVision.Analytics.Series;

/// <summary>
/// Puts irregular observations onto a regular grid, because every model here assumes equally spaced points.
/// </summary>
public static class SeriesRegulariser
{
    /// <summary>
    /// The median spacing is used rather than the mean or minimum: a few bursts or outages should not change
    /// the grid the whole series is read on.
    /// </summary>
    public static TimeSpan InferFrequency(IReadOnlyList<TimedValue> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count < 2)
        {
            return TimeSpan.FromHours(1);
        }

        var gaps = new List<long>(history.Count - 1);
        for (var i = 1; i < history.Count; i++)
        {
            var ticks = (history[i].Timestamp - history[i - 1].Timestamp).Ticks;
            if (ticks > 0)
            {
                gaps.Add(ticks);
            }
        }

        if (gaps.Count == 0)
        {
            return TimeSpan.FromHours(1);
        }

        gaps.Sort();
        return TimeSpan.FromTicks(gaps[gaps.Count / 2]);
    }

    /// <summary>
    /// Observations are bucketed to the nearest grid slot (anchored at the first timestamp); a slot with several
    /// observations takes their mean, and empty slots are filled by linear interpolation between neighbours.
    /// </summary>
    public static RegularSeries Regularise(IReadOnlyList<TimedValue> history, TimeSpan? frequency = null)
    {
        SeriesValidator.RequireFinite(history);
        if (history.Count == 0)
        {
            throw new ArgumentException("history is empty.", nameof(history));
        }

        var freq = frequency ?? InferFrequency(history);
        if (freq <= TimeSpan.Zero)
        {
            throw new ArgumentException($"frequency must be positive, got {freq}.", nameof(frequency));
        }

        var ordered = IsSorted(history) ? history : history.OrderBy(p => p.Timestamp).ToArray();
        var start = ordered[0].Timestamp;
        var lastSlot = SlotOf(ordered[^1].Timestamp, start, freq);
        if (lastSlot > 50_000_000)
        {
            throw new ArgumentException(
                $"history spans {lastSlot} slots at frequency {freq}; the frequency is too fine for this time span.",
                nameof(frequency));
        }

        var count = (int)lastSlot + 1;
        var sums = new double[count];
        var hits = new int[count];
        var merged = 0;
        foreach (var point in ordered)
        {
            var slot = (int)SlotOf(point.Timestamp, start, freq);
            if (hits[slot] > 0)
            {
                merged++;
            }

            sums[slot] += point.Value;
            hits[slot]++;
        }

        var values = new double[count];
        var filled = 0;
        var previous = -1;
        for (var i = 0; i < count; i++)
        {
            if (hits[i] == 0)
            {
                continue;
            }

            values[i] = sums[i] / hits[i];
            if (previous >= 0 && i - previous > 1)
            {
                for (var j = previous + 1; j < i; j++)
                {
                    var w = (double)(j - previous) / (i - previous);
                    values[j] = values[previous] + (w * (values[i] - values[previous]));
                    filled++;
                }
            }

            previous = i;
        }

        return new RegularSeries(start, freq, values, filled, merged);
    }

    private static long SlotOf(DateTimeOffset timestamp, DateTimeOffset start, TimeSpan frequency)
    {
        var offset = (timestamp - start).Ticks;
        return (long)Math.Round((double)offset / frequency.Ticks, MidpointRounding.AwayFromZero);
    }

    private static bool IsSorted(IReadOnlyList<TimedValue> history)
    {
        for (var i = 1; i < history.Count; i++)
        {
            if (history[i].Timestamp < history[i - 1].Timestamp)
            {
                return false;
            }
        }

        return true;
    }
}
