using IntentVision.Api.Infrastructure;
using Scalar.AspNetCore;

namespace IntentVision.Api.Extensions;

public static class ApiDocumentationExtensions
{
    /// <summary>The OpenAPI document (<c>/openapi/v1.json</c>) with the key schemes and the organization header.</summary>
    public static IHostApplicationBuilder AddApiDocumentation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<ApiKeySecurityTransformer>();
            o.AddOperationTransformer<TenantRouteFormTransformer>();
        });
        return builder;
    }

    /// <summary><c>/openapi/v1.json</c> and the Scalar UI at <c>/scalar</c>, both without a key.</summary>
    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference();
        return app;
    }
}
