using IntentVision.LibSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntentVision.Data;

/// <summary>
/// How every IntentVision process finds its database: the connection string <c>intentvision</c> when present
/// (Aspire hands it over), else <c>INTENTVISION_DB_URL</c> (default <c>file:db/intentvision.db</c>) with
/// <c>INTENTVISION_DB_AUTH_TOKEN</c>.
/// </summary>
public static class IntentVisionDatabase
{
    public const string ConnectionStringName = "intentvision";
    public const string UrlVariable = "INTENTVISION_DB_URL";
    public const string AuthTokenVariable = "INTENTVISION_DB_AUTH_TOKEN";
    public const string DefaultUrl = "file:db/intentvision.db";

    public static LibSqlConnectionInfo ResolveConnection(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var token = NullIfBlank(configuration[AuthTokenVariable]);
        var connectionString = NullIfBlank(configuration.GetConnectionString(ConnectionStringName));
        if (connectionString is not null)
        {
            // A token inside the connection string wins; the variable fills in when the string has none.
            var info = LibSqlConnectionInfo.Parse(connectionString);
            return info.AuthToken is null && token is not null ? LibSqlConnectionInfo.Parse(connectionString, token) : info;
        }

        return LibSqlConnectionInfo.Parse(NullIfBlank(configuration[UrlVariable]) ?? DefaultUrl, token);
    }

    /// <summary>Registers the one <see cref="LibSqlDataSource"/> of the process and the repositories on it.</summary>
    public static IServiceCollection AddIntentVisionDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => LibSqlDataSource.Create(ResolveConnection(configuration)));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => Migrations.MigrationCatalog.FromEmbeddedResources());
        services.AddSingleton<Migrations.MigrationRunner>();
        services.AddSingleton<Organizations.OrganizationRepository>();
        services.AddSingleton<Series.SeriesRepository>();
        services.AddSingleton<Metrics.MetricRepository>();
        services.AddSingleton<ApiKeys.ApiKeyRepository>();
        services.AddSingleton<Idempotency.IdempotencyRepository>();
        services.AddSingleton<Forecasts.ForecastRepository>();
        services.AddSingleton<Anomalies.AnomalyRepository>();
        services.AddSingleton<Alerts.AlertRuleRepository>();
        services.AddSingleton<Alerts.AlertRepository>();
        services.AddSingleton<Alerts.NotificationOutboxRepository>();
        services.AddSingleton<Alerts.SilenceRepository>();
        services.AddSingleton<Alerts.NotificationPolicyRepository>();
        services.AddSingleton<Sources.IngestionSourceRepository>();
        services.AddSingleton<Sources.SourceScrapeStateRepository>();
        services.AddSingleton<Sources.PushReplayRepository>();
        return services;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
