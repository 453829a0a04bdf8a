using IntentVision.Aspire.LibSql;
using IntentVision.LibSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers a libSQL <see cref="LibSqlDataSource"/> (file, sqld or Turso) with its health check and telemetry.</summary>
public static class AspireLibSqlExtensions
{
    /// <summary>The configuration section the settings are read from.</summary>
    public const string DefaultConfigSectionName = "Aspire:LibSql:Client";

    /// <summary>
    /// Registers one <see cref="LibSqlDataSource"/> (and <see cref="LibSqlConnection"/>s from it) for the connection
    /// string <c>ConnectionStrings:&lt;connectionName&gt;</c>, with a health check and OpenTelemetry tracing and metrics.
    /// </summary>
    /// <param name="connectionName">The name of the connection string (the name the AppHost's <c>WithReference</c> gave it).</param>
    /// <param name="configureSettings">Runs after the settings are read from configuration; wins over them.</param>
    /// <exception cref="InvalidOperationException">No connection string was given, when the data source is first asked for.</exception>
    public static void AddLibSqlDataSource(this IHostApplicationBuilder builder, string connectionName, Action<LibSqlClientSettings>? configureSettings = null) =>
        AddLibSqlDataSource(builder, DefaultConfigSectionName, connectionName, serviceKey: null, configureSettings);

    /// <summary>As <see cref="AddLibSqlDataSource"/>, registered as a keyed service under <paramref name="name"/>, with settings from <c>Aspire:LibSql:Client:&lt;name&gt;</c>.</summary>
    public static void AddKeyedLibSqlDataSource(this IHostApplicationBuilder builder, string name, Action<LibSqlClientSettings>? configureSettings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        AddLibSqlDataSource(builder, $"{DefaultConfigSectionName}:{name}", name, serviceKey: name, configureSettings);
    }

    private static void AddLibSqlDataSource(IHostApplicationBuilder builder, string section, string connectionName, string? serviceKey, Action<LibSqlClientSettings>? configureSettings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);
        var settings = ReadSettings(builder.Configuration, section, connectionName, configureSettings);

        LibSqlDataSource Create(IServiceProvider _) => CreateDataSource(settings, connectionName, section);
        if (serviceKey is null)
        {
            builder.Services.AddSingleton(Create);
            builder.Services.AddTransient(sp => sp.GetRequiredService<LibSqlDataSource>().CreateConnection());
        }
        else
        {
            builder.Services.AddKeyedSingleton(serviceKey, (sp, _) => Create(sp));
            builder.Services.AddKeyedTransient(serviceKey, (sp, key) => sp.GetRequiredKeyedService<LibSqlDataSource>(key).CreateConnection());
        }

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                serviceKey is null ? "LibSql" : $"LibSql_{connectionName}",
                sp => new LibSqlDataSourceHealthCheck(serviceKey is null ? sp.GetRequiredService<LibSqlDataSource>() : sp.GetRequiredKeyedService<LibSqlDataSource>(serviceKey), settings.HealthCheckTimeout),
                failureStatus: default,
                tags: default,
                timeout: settings.HealthCheckTimeout));
        }

        if (!settings.DisableTracing)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(LibSqlTelemetry.ActivitySourceName));
        }

        if (!settings.DisableMetrics)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(LibSqlTelemetry.MeterName));
        }
    }

    /// <summary>The section, then the connection string, then the delegate: each later one wins.</summary>
    internal static LibSqlClientSettings ReadSettings(IConfiguration configuration, string section, string connectionName, Action<LibSqlClientSettings>? configureSettings)
    {
        var settings = new LibSqlClientSettings();
        configuration.GetSection(section).Bind(settings);
        if (configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
        {
            settings.ConnectionString = connectionString;
        }

        configureSettings?.Invoke(settings);
        return settings;
    }

    internal static LibSqlDataSource CreateDataSource(LibSqlClientSettings settings, string connectionName, string section)
    {
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException(
                $"The libSQL connection string is missing. Give it as 'ConnectionStrings:{connectionName}' or as 'ConnectionString' in the '{section}' configuration section.");
        }

        var info = LibSqlConnectionInfo.Parse(settings.ConnectionString);
        if (info.AuthToken is null && !string.IsNullOrEmpty(settings.AuthToken))
        {
            info = LibSqlConnectionInfo.Parse(settings.ConnectionString, settings.AuthToken);
        }

        var options = new LibSqlDataSourceOptions();
        options = options with
        {
            CommandTimeout = settings.CommandTimeout ?? options.CommandTimeout,
            BusyTimeout = settings.BusyTimeout ?? options.BusyTimeout,
            EmbeddedPageCacheKib = settings.PageCacheKib ?? options.EmbeddedPageCacheKib,
            IdleStreams = settings.IdleStreams ?? options.IdleStreams,
            CompressResponses = settings.CompressResponses ?? options.CompressResponses,
        };
        return LibSqlDataSource.Create(info, options);
    }
}
