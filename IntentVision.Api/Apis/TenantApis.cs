using IntentVision.Api.Auth;
using IntentVision.Api.Events;

namespace IntentVision.Api.Apis;

/// <summary>
/// The organization-scoped features. Each is mapped once per route form: <c>/api/...</c> acts for the key's own
/// organization (or the one the platform admin names in the <c>X-IntentVision-Organization</c> header), and
/// <c>/api/organizations/{organizationId}/...</c> names it in the path. <see cref="Tenant"/> applies the same rule to
/// both. A feature's <c>MapXxxApi</c> maps its group relative to the form it is given (<c>app.MapGroup("/series")</c>).
/// </summary>
public static class TenantApis
{
    /// <summary>Appended to endpoint names of the organization form, so operation ids stay unique in OpenAPI.</summary>
    public const string OrganizationFormSuffix = "ForOrganization";

    public static IEndpointRouteBuilder MapTenantApis(this IEndpointRouteBuilder api)
    {
        foreach (var tenant in RouteForms(api))
        {
            tenant.MapKeysApi();
            tenant.MapMetricsApi();
            tenant.MapSeriesApi();
            tenant.MapForecastsApi();
            tenant.MapAnomaliesApi();
            tenant.MapAlertRulesApi();
            tenant.MapAlertsApi();
            tenant.MapSourcesApi();
            tenant.MapSilencesApi();
            tenant.MapNotificationPoliciesApi();
            tenant.MapEventsApi();
        }

        return api;
    }

    /// <summary>The key's own organization (<paramref name="api"/> itself) and the named one.</summary>
    private static IEnumerable<IEndpointRouteBuilder> RouteForms(IEndpointRouteBuilder api)
    {
        yield return api;
        var named = api.MapGroup($"/organizations/{{{Tenant.OrganizationRouteParameter}}}");
        ((IEndpointConventionBuilder)named).Finally(EndpointNames.AppendSuffix(OrganizationFormSuffix));
        yield return named;
    }
}
