using IntentVision.Api.Egress;
using IntentVision.Api.Notifications;

namespace IntentVision.Api.Alerting;

/// <summary>Registers the egress policy (every outbound connection), the notification outbox's dispatcher and its channels.</summary>
public static class AlertingServiceCollectionExtensions
{
    public static IServiceCollection AddAlertingAndEgress(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EgressOptions>(configuration.GetSection(EgressOptions.Section));
        services.Configure<EmailOptions>(configuration.GetSection(EmailOptions.Section));
        services.AddSingleton<EgressPolicy>();
        services.AddSingleton<EgressConnector>();
        services.AddSingleton<EgressHttpClient>();

        services.AddSingleton<INotificationSender, WebhookSender>();
        services.AddSingleton<INotificationSender, SlackSender>();
        services.AddSingleton<INotificationSender, EmailSender>();
        services.AddSingleton<NotificationMetrics>();
        services.AddSingleton<NotificationChannelResolver>();
        services.AddSingleton<AlertNotificationPlanner>();
        services.AddSingleton<AlertEvaluationGate>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        return services;
    }
}
