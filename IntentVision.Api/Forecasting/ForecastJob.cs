using IntentVision.Api.Jobs;
using IntentVision.Data.Forecasts;
using IntentVision.Data.Series;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Forecasting;

/// <summary>Re-forecasts active series whose newest forecast is older than <see cref="ForecastJobOptions.RefreshAfter"/>.</summary>
public sealed class ForecastJob(
    SeriesRepository series,
    ForecastRepository forecasts,
    ForecastService forecaster,
    IOptions<ForecastJobOptions> options,
    TimeProvider time,
    ILogger<ForecastJob> logger) : PeriodicJob<ForecastJobOptions>(options, time, logger)
{
    public int LastRunForecasts { get; private set; }

    public override async Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var made = 0;
        var active = await series.ListActiveAsync(now - Options.ActiveWindow, Options.MinimumPoints, Options.MaxSeriesPerRun, cancellationToken);
        foreach (var s in active)
        {
            var latest = await forecasts.LatestForSeriesAsync(s.Id, cancellationToken);
            if (latest is not null && now - latest.CreatedAt < Options.RefreshAfter)
            {
                continue;
            }

            try
            {
                await forecaster.RunAsync(s.OrganizationId, s.Id, Options.Horizon, "auto", cancellationToken);
                made++;
            }
            catch (ArgumentException e)
            {
                logger.LogWarning("Series {SeriesId} could not be forecast: {Reason}", s.Id, e.Message);
            }
        }

        LastRunForecasts = made;
    }
}
