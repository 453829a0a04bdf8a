using IntentVision.Api.Health;
using IntentVision.Data;
using IntentVision.Data.Writing;

namespace IntentVision.Api.Extensions;

/// <summary>
/// The database: the libSQL client integration's data source (connection string <c>intentvision</c>, else the seed's
/// variables), the repositories and the one writer on it, and the readiness check of the write path.
/// </summary>
public static class DatabaseExtensions
{
    /// <summary>
    /// The default deadline of a command on a pooled connection (reads): a request is answered within 5 s even when
    /// the database does not answer. The writer's statements have their own (<see cref="DatabaseWriterOptions.StatementTimeout"/>).
    /// </summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(4);

    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddIntentVisionDatabaseDefaults();
        builder.AddLibSqlDataSource(IntentVisionDatabase.ConnectionStringName, settings =>
        {
            settings.CommandTimeout ??= ReadTimeout;
            settings.HealthCheckTimeout ??= WritePathHealthCheck.ProbeTimeout;
        });
        builder.Services.AddOptions<DatabaseWriterOptions>().BindConfiguration(DatabaseWriterOptions.Section);
        builder.Services.AddIntentVisionDatabase();
        builder.Services.AddSingleton<WritePathHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<WritePathHealthCheck>(WritePathHealthCheck.Name, tags: [HealthReportWriter.PublicDescriptionTag]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(IntentVisionDatabase.MeterName));
        return builder;
    }
}
