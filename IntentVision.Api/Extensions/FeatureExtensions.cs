using IntentVision.Api.Alerting;
using IntentVision.Api.Detection;
using IntentVision.Api.Events;
using IntentVision.Api.Forecasting;
using IntentVision.Api.Ingestion;
using IntentVision.Api.Jobs;
using IntentVision.Api.Sources;
using IntentVision.Data.Writing;

namespace IntentVision.Api.Extensions;

/// <summary>The services of each feature and its background jobs (settings under <c>IntentVision:Jobs:&lt;Name&gt;</c>).</summary>
public static class FeatureExtensions
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngestRequestValidator>();
        builder.Services.AddSingleton<IngestionService>();
        builder.Services.AddJob<IdempotencyCleanupJob, IdempotencyCleanupOptions>("IdempotencyCleanup");
        builder.Services.AddJob<KeyUsageFlushJob, KeyUsageFlushOptions>("KeyUsage");
        builder.Services.AddJob<RetentionJob, RetentionOptions>("Retention");
        return builder;
    }

    /// <summary>
    /// Detection on the ingest write path (<c>IntentVision:Jobs:Detection</c>): the stage joins every group of the
    /// database writer as a participant; the flusher saves detector state at shutdown.
    /// </summary>
    public static IHostApplicationBuilder AddAnomalyDetection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DetectionOptions>().BindConfiguration($"{JobExtensions.JobsSection}:Detection");
        builder.Services.AddSingleton<DetectionMetrics>();
        builder.Services.AddSingleton<DetectionStage>();
        builder.Services.AddSingleton<IWriteGroupParticipant>(sp => sp.GetRequiredService<DetectionStage>());

        // Hosted services stop in reverse order: this one after the jobs that ingest (registered later) and before the
        // database writer (registered earlier), which writes the snapshots.
        builder.Services.AddHostedService<DetectionStateFlusher>();
        return builder;
    }

    public static IHostApplicationBuilder AddForecasting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ForecastService>();
        builder.Services.AddJob<ForecastJob, ForecastJobOptions>("Forecast");
        return builder;
    }

    public static IHostApplicationBuilder AddAlerting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAlertingAndEgress(builder.Configuration);
        builder.Services.AddJob<AlertEvaluationJob, AlertingOptions>("Alerting");
        return builder;
    }

    /// <summary>The in-process broadcaster the jobs publish to and the server-sent event stream reads (<c>IntentVision:Events</c>).</summary>
    public static IHostApplicationBuilder AddEventStream(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<EventStreamOptions>(builder.Configuration.GetSection(EventStreamOptions.Section));
        builder.Services.AddSingleton<EventBroadcaster>();
        return builder;
    }

    public static IHostApplicationBuilder AddSources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddJob<PrometheusScrapeJob, PrometheusScrapeOptions>("Prometheus");
        return builder;
    }
}
