using IntentVision.Data.Writing;
using IntentVision.LibSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntentVision.Data;

/// <summary>
/// How every IntentVision process finds its database and what it registers on it. The database is the libSQL client
/// integration's data source (<c>builder.AddLibSqlDataSource("intentvision")</c>): the connection string
/// <c>intentvision</c> when present (Aspire hands it over), else <c>INTENTVISION_DB_URL</c> (default
/// <c>file:db/intentvision.db</c>) with <c>INTENTVISION_DB_AUTH_TOKEN</c>, which <see cref="AddIntentVisionDatabaseDefaults"/>
/// maps onto the integration's settings.
/// </summary>
public static class IntentVisionDatabase
{
    public const string ConnectionStringName = "intentvision";
    public const string UrlVariable = "INTENTVISION_DB_URL";
    public const string AuthTokenVariable = "INTENTVISION_DB_AUTH_TOKEN";
    public const string DefaultUrl = "file:db/intentvision.db";

    /// <summary>The meter of the database writer's instruments (groups, failures, retries, queue length).</summary>
    public const string MeterName = WriterMetrics.MeterName;

    /// <summary>The libSQL client integration's settings section (IntentVision.Aspire.LibSql).</summary>
    public const string ClientSettingsSection = "Aspire:LibSql:Client";

    /// <summary>
    /// Fills the client integration's <c>ConnectionString</c> and <c>AuthToken</c> from <c>INTENTVISION_DB_URL</c> (or
    /// the default file) and <c>INTENTVISION_DB_AUTH_TOKEN</c>, where they are not set already. The connection string
    /// <c>intentvision</c> still wins over both, and a token inside it wins over the variable.
    /// </summary>
    public static IConfigurationManager AddIntentVisionDatabaseDefaults(this IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new Dictionary<string, string?>();
        if (NullIfBlank(configuration[$"{ClientSettingsSection}:ConnectionString"]) is null)
        {
            defaults[$"{ClientSettingsSection}:ConnectionString"] = NullIfBlank(configuration[UrlVariable]) ?? DefaultUrl;
        }

        if (NullIfBlank(configuration[$"{ClientSettingsSection}:AuthToken"]) is null && NullIfBlank(configuration[AuthTokenVariable]) is { } token)
        {
            defaults[$"{ClientSettingsSection}:AuthToken"] = token;
        }

        configuration.AddInMemoryCollection(defaults);
        return configuration;
    }

    /// <summary>
    /// Registers the repositories, the migration engine and the one <see cref="DatabaseWriter"/> (a hosted service) on
    /// the process's <see cref="LibSqlDataSource"/>, which must be registered too (the client integration does it).
    /// </summary>
    public static IServiceCollection AddIntentVisionDatabase(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => Migrations.MigrationCatalog.FromEmbeddedResources());
        services.AddSingleton<Migrations.MigrationRunner>();
        services.AddSingleton<ApiKeys.KeyUsageRecorder>();
        services.AddSingleton<IWriteGroupCompanion>(sp => sp.GetRequiredService<ApiKeys.KeyUsageRecorder>());
        services.AddSingleton(sp => new DatabaseWriter(
            sp.GetRequiredService<LibSqlDataSource>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IOptions<DatabaseWriterOptions>>()?.Value,
            sp.GetServices<IWriteGroupCompanion>(),
            sp.GetServices<IWriteGroupParticipant>(),
            sp.GetService<ILogger<DatabaseWriter>>()));
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseWriter>());
        services.AddSingleton<WritePathProbe>();
        services.AddSingleton<Organizations.OrganizationRepository>();
        services.AddSingleton<Series.SeriesRepository>();
        services.AddSingleton<Metrics.IngestWriter>();
        services.AddSingleton<Metrics.SeriesReader>();
        services.AddSingleton<Retention.PointRetention>();
        services.AddSingleton<ApiKeys.ApiKeyRepository>();
        services.AddSingleton<Idempotency.IdempotencyRepository>();
        services.AddSingleton<Forecasts.ForecastRepository>();
        services.AddSingleton<Anomalies.AnomalyRepository>();
        services.AddSingleton<Anomalies.DetectorStateRepository>();
        services.AddSingleton<Alerts.AlertRuleRepository>();
        services.AddSingleton<Alerts.AlertRepository>();
        services.AddSingleton<Alerts.NotificationOutboxRepository>();
        services.AddSingleton<Alerts.SilenceRepository>();
        services.AddSingleton<Alerts.NotificationPolicyRepository>();
        services.AddSingleton<Sources.IngestionSourceRepository>();
        services.AddSingleton<Sources.SourceScrapeStateRepository>();
        return services;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
