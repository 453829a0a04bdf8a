namespace IntentVision.Analytics.Seasonality;

/// <summary>
/// Calendar cycles a metric can plausibly have, expressed in samples for the series' frequency:
/// a day and a week for sub-daily data, a week and a year for daily data, and so on.
/// </summary>
public static class SeasonalPeriodCandidates
{
    public static IReadOnlyList<int> For(TimeSpan frequency)
    {
        if (frequency <= TimeSpan.Zero)
        {
            return [];
        }

        var cycles = frequency < TimeSpan.FromDays(1)
            ? new[] { TimeSpan.FromDays(1), TimeSpan.FromDays(7) }
            : frequency < TimeSpan.FromDays(7)
                ? new[] { TimeSpan.FromDays(7), TimeSpan.FromDays(365.25) }
                : new[] { TimeSpan.FromDays(365.25) };
        var periods = new List<int>();
        foreach (var cycle in cycles)
        {
            var samples = cycle.Ticks / (double)frequency.Ticks;
            var rounded = (int)Math.Round(samples);

            // A cycle must be a whole number of samples to be read off the grid, and span at least two of them.
            if (rounded >= 2 && Math.Abs(samples - rounded) < 0.05 * samples && !periods.Contains(rounded))
            {
                periods.Add(rounded);
            }
        }

        return periods;
    }
}
