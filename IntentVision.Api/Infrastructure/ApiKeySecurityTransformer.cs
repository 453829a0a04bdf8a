using IntentVision.Api.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace IntentVision.Api.Infrastructure;

/// <summary>Describes the key scheme in the OpenAPI document, so Scalar offers a place to paste a key.</summary>
internal sealed class ApiKeySecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Description =
            "IntentVision: metrics ingestion, queries, forecasts, anomalies and alerting. " +
            $"Every /api route except health needs an API key: 'Authorization: Bearer <key>' or '{ApiKeyAuthenticationHandler.HeaderName}: <key>'. " +
            "A key belongs to one organization and carries scopes (ingest:write, metrics:read, alerts:write, admin; admin includes the others). " +
            "A missing or wrong key is 401, a missing scope 403, both as problem details. " +
            $"The bootstrap admin key (configuration IntentVision:BootstrapAdminKey) is the platform admin: it creates organizations and acts for any one of them, named by the '{Tenant.OrganizationHeader}' header " +
            "or by the path form /api/organizations/{organizationId}/<resource>. Another organization's data answers 404.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An IntentVision API key (ivk_...) or the bootstrap admin key.",
        };
        document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "The same key in a header of its own.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] });
        return Task.CompletedTask;
    }
}
