namespace IntentVision.Api.Apis;

/// <summary>The organization-scoped features, all under /api with the organization taken from the key.</summary>
public static class TenantApis
{
    /// <summary>First path segments after /api that belong to an organization (for the /api/organizations/{id}/... form).</summary>
    public static readonly IReadOnlySet<string> Resources = new HashSet<string>(StringComparer.Ordinal)
    {
        "metrics", "series", "forecasts", "anomalies", "alert-rules", "alerts", "sources", "keys", "silences", "notification-policies", "notifications",
    };

    public static IEndpointRouteBuilder MapTenantApis(this IEndpointRouteBuilder app)
    {
        app.MapKeysApi();
        app.MapMetricsApi();
        app.MapSeriesApi();
        app.MapForecastsApi();
        app.MapAnomaliesApi();
        app.MapAlertRulesApi();
        app.MapAlertsApi();
        app.MapSourcesApi();
        app.MapSilencesApi();
        app.MapNotificationPoliciesApi();
        return app;
    }
}
