using IntentVision.Api.Ingestion;
using IntentVision.Data.Organizations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntentVision.Api.Apis;

public static class OrganizationsApi
{
    public static RouteGroupBuilder MapOrganizationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/organizations").WithTags("Organizations");
        api.MapGet("/", ListOrganizations).WithName("ListOrganizations").WithSummary("List organizations");
        api.MapGet("/{organizationId}", GetOrganization).WithName("GetOrganization").WithSummary("Get one organization");
        api.MapPost("/", CreateOrganization).WithName("CreateOrganization").WithSummary("Create an organization");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<Organization>>> ListOrganizations(OrganizationRepository organizations, CancellationToken cancellationToken)
        => TypedResults.Ok(await organizations.ListAsync(cancellationToken));

    public static async Task<Results<Ok<Organization>, NotFound>> GetOrganization(string organizationId, OrganizationRepository organizations, CancellationToken cancellationToken)
        => await organizations.GetAsync(organizationId, cancellationToken) is { } organization ? TypedResults.Ok(organization) : TypedResults.NotFound();

    public static async Task<Results<Created<Organization>, ValidationProblem, Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>>> CreateOrganization(
        CreateOrganizationRequest request, OrganizationRepository organizations, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Id))
        {
            errors.Add("id", "is required");
        }
        else if (!InputRules.OrganizationId().IsMatch(request.Id))
        {
            errors.Add("id", "must be 2 to 63 characters: lowercase letters, digits and '-', starting with a letter or digit");
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add("name", "is required");
        }
        else if (request.Name.Length > 200)
        {
            errors.Add("name", "must be at most 200 characters");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var created = await organizations.CreateAsync(request.Id!, request.Name!.Trim(), cancellationToken);
        return created is null
            ? TypedResults.Conflict(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The organization already exists.",
                Detail = $"An organization with id '{request.Id}' exists already.",
            })
            : TypedResults.Created($"/api/organizations/{created.Id}", created);
    }
}

public sealed record CreateOrganizationRequest(string? Id, string? Name);
