namespace IntentVision.Analytics.Forecasting;

/// <summary>Tuning that applies to every series alike.</summary>
/// <param name="MaxHistoryPoints">Only the most recent points are fitted: old history rarely helps a 48-step forecast and costs time.</param>
/// <param name="BacktestOrigins">
/// The fewest origins on the history's tail from which auto validates its candidates and every method's intervals
/// are sized; a short horizon gets more (<see cref="RollingOrigins"/>: about 150 errors per method, at most 10).
/// 0 skips backtests: named methods get random-walk intervals, and auto falls back to its fixed combination.
/// </param>
public sealed record ForecastOptions(int MaxHistoryPoints = 1008, int BacktestOrigins = RollingOrigins.DefaultCount)
{
    public static ForecastOptions Default { get; } = new();
}
