using IntentVision.Api.Auth;
using IntentVision.Api.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Extensions;

public static class LoggingExtensions
{
    /// <summary>
    /// Every log entry passes <see cref="SecretRedactor"/> first: keys, key-like query values, credentials and the
    /// bootstrap admin key are masked at every level and for every provider (console, OpenTelemetry, tests).
    /// </summary>
    public static IHostApplicationBuilder AddSecretRedactingLogs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new SecretRedactor([sp.GetRequiredService<IConfiguration>()[ApiKeyValidator.BootstrapKeySetting]]));
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(
            new LoggerFactory(
                sp.GetServices<ILoggerProvider>(),
                sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                sp.GetService<IOptions<LoggerFactoryOptions>>(),
                sp.GetService<IExternalScopeProvider>()),
            sp.GetRequiredService<SecretRedactor>())));
        return builder;
    }
}
