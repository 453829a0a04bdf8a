using IntentVision.Api.Infrastructure;
using IntentVision.Api.Ingestion;

namespace IntentVision.Api.Apis;

/// <summary>The whole API under <c>/api</c>: platform routes once, organization routes in both forms.</summary>
public static class IntentVisionApi
{
    public static RouteGroupBuilder MapIntentVisionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .WithRequestBodyLimit(InputRules.MaxOtherBodyBytes)
            .AddEndpointFilter<ProblemResultFilter>();
        api.MapOrganizationsApi();
        api.MapMigrationsApi();
        api.MapTenantApis();
        return api;
    }
}
