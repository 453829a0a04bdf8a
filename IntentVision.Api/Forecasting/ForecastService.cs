using System.Diagnostics;
using System.Text.Json;
using IntentVision.Analytics.Forecasting;
using IntentVision.Analytics.Series;
using IntentVision.Data.Forecasts;
using IntentVision.Data.Metrics;

namespace IntentVision.Api.Forecasting;

/// <summary>Reads a series' history, forecasts it with <see cref="SeriesForecaster"/> and stores the result.</summary>
public sealed class ForecastService(SeriesReader metrics, ForecastRepository forecasts)
{
    /// <summary>Latest points a forecast is fitted on.</summary>
    public const int MaxHistoryPoints = 5000;

    public const int MaxHorizon = 10_000;

    private readonly SeriesForecaster _forecaster = new();

    /// <summary>Forecasts and stores; throws <see cref="ArgumentException"/> when the series cannot be forecast as asked.</summary>
    public async Task<StoredForecast> RunAsync(string organizationId, long seriesId, int horizon, string method, CancellationToken cancellationToken)
    {
        var history = await metrics.ReadLatestAsync(seriesId, MaxHistoryPoints, cancellationToken: cancellationToken);
        if (history.Count < 2)
        {
            throw new ArgumentException($"the series has {history.Count} point(s); at least 2 are needed to forecast.");
        }

        var started = Stopwatch.GetTimestamp();
        var result = await Task.Run(
            () => _forecaster.Forecast(history.Select(p => new TimedValue(p.Timestamp, p.Value)).ToList(), new ForecastRequest(horizon, null, method)),
            cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (result.Points.Any(p => !double.IsFinite(p.Value) || !double.IsFinite(p.Lower80) || !double.IsFinite(p.Upper80) || !double.IsFinite(p.Lower95) || !double.IsFinite(p.Upper95)))
        {
            // Values near ±1.8e308 leave the range of a double once the model adds trends or intervals to them.
            throw new ArgumentException("the series' values are too large to forecast: the forecast or its intervals leave the range of a double (±1.8e308).");
        }

        var modelInfo = JsonSerializer.Serialize(new
        {
            requestedMethod = method,
            method = result.Method,
            description = result.ModelInfo,
            frequencySeconds = result.Frequency.TotalSeconds,
            seasonalPeriods = result.SeasonalPeriods,
            filledGaps = result.FilledGaps,
            historyPoints = history.Count,
        });
        var points = result.Points.Select(p => new StoredForecastPoint(p.Timestamp, p.Value, p.Lower80, p.Upper80, p.Lower95, p.Upper95)).ToList();
        return await forecasts.CreateAsync(organizationId, seriesId, result.Method, points, modelInfo, elapsed, cancellationToken);
    }
}
