using IntentVision.Api.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace IntentVision.Api.Infrastructure;

/// <summary>
/// Documents how a tenant endpoint names its organization: the <c>organizationId</c> path parameter of the
/// organization form (routing binds it, no handler parameter does, so OpenAPI would not list it), or the optional
/// <c>X-IntentVision-Organization</c> header of the key's own form, honoured for the platform admin key only.
/// </summary>
internal sealed class TenantRouteFormTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var namedInPath = description.RelativePath?.Contains($"{{{Tenant.OrganizationRouteParameter}}}", StringComparison.Ordinal) == true;
        var isTenant = description.ActionDescriptor.EndpointMetadata.OfType<TenantParameterMetadata>().Any();
        operation.Parameters ??= [];
        if (namedInPath && !operation.Parameters.Any(p => p.Name == Tenant.OrganizationRouteParameter))
        {
            operation.Parameters.Insert(0, StringParameter(
                Tenant.OrganizationRouteParameter,
                ParameterLocation.Path,
                "The organization to act for: the key's own, or any for the platform admin key (another organization answers 404)."));
        }
        else if (!namedInPath && isTenant)
        {
            operation.Parameters.Insert(0, StringParameter(
                Tenant.OrganizationHeader,
                ParameterLocation.Header,
                "The organization to act for; only the platform admin key names one (an organization key acts for its own)."));
        }

        return Task.CompletedTask;
    }

    private static OpenApiParameter StringParameter(string name, ParameterLocation location, string description) => new()
    {
        Name = name,
        In = location,
        Required = location == ParameterLocation.Path,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
