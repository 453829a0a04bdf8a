using IntentVision.Api.Jobs;

namespace IntentVision.Api.Forecasting;

/// <summary>Configuration <c>IntentVision:Jobs:Forecast</c>: which series are re-forecast, how far ahead, how often.</summary>
public sealed class ForecastJobOptions : JobOptions
{
    public ForecastJobOptions() => Interval = TimeSpan.FromMinutes(15);

    /// <summary>A series is active when its latest point is at most this old.</summary>
    public TimeSpan ActiveWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A series is re-forecast when its newest forecast is at least this old.</summary>
    public TimeSpan RefreshAfter { get; set; } = TimeSpan.FromHours(1);

    public int Horizon { get; set; } = 48;

    public int MinimumPoints { get; set; } = 10;

    public int MaxSeriesPerRun { get; set; } = 100;
}
