namespace IntentVision.Analytics.Forecasting;

/// <summary>Tuning that applies to every series alike.</summary>
/// <param name="MaxHistoryPoints">Only the most recent points are fitted: old history rarely helps a 48-step forecast and costs time.</param>
/// <param name="IntervalOrigins">Backtest origins whose errors size the prediction intervals.</param>
public sealed record ForecastOptions(int MaxHistoryPoints = 1008, int IntervalOrigins = 4)
{
    public static ForecastOptions Default { get; } = new();
}
