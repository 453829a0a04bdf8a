using IntentVision.Api.Auth;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Organizations;
using IntentVision.Data.Retention;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Apis;

/// <summary>Organizations. Creating one needs the platform admin key; any key sees its own organization, the platform admin sees all.</summary>
public static class OrganizationsApi
{
    /// <summary>The bounds 006_narrow_points puts on <c>organizations.retention_days</c>.</summary>
    private const int MinRetentionDays = 1;
    private const int MaxRetentionDays = 36_500;

    public static RouteGroupBuilder MapOrganizationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/organizations").WithTags("Organizations").RequireAuthorization();
        api.MapGet("/", ListOrganizations).WithName("ListOrganizations").WithSummary("List organizations: all for the platform admin key, else the key's own");
        api.MapGet("/{organizationId}", GetOrganization).WithName("GetOrganization").WithSummary("Get one organization");
        api.MapPost("/", CreateOrganization).WithName("CreateOrganization").WithSummary("Create an organization (platform admin key)")
            .RequireAuthorization(Scopes.PlatformAdmin);
        api.MapPut("/{organizationId}/retention", SetRetention).WithName("SetOrganizationRetention")
            .WithSummary("Set how many days the organization's points are kept (null: forever); older points are deleted by the retention job")
            .RequireAuthorization(Scopes.Admin);
        return api;
    }

    public static async Task<Ok<IReadOnlyList<Organization>>> ListOrganizations(HttpContext context, OrganizationRepository organizations, CancellationToken cancellationToken)
    {
        if (context.User.HasClaim(ApiKeyClaims.PlatformAdmin, "true"))
        {
            return TypedResults.Ok(await organizations.ListAsync(cancellationToken));
        }

        var own = await organizations.GetAsync(context.User.FindFirst(ApiKeyClaims.Organization)!.Value, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<Organization>>(own is null ? [] : [own]);
    }

    public static async Task<Results<Ok<Organization>, NotFound<ProblemDetails>>> GetOrganization(string organizationId, HttpContext context, OrganizationRepository organizations, CancellationToken cancellationToken)
    {
        var visible = context.User.HasClaim(ApiKeyClaims.PlatformAdmin, "true") || context.User.HasClaim(ApiKeyClaims.Organization, organizationId);
        return visible && await organizations.GetAsync(organizationId, cancellationToken) is { } organization
            ? TypedResults.Ok(organization)
            : Problems.NotFound("organization", organizationId);
    }

    public static async Task<Results<Ok<Organization>, ValidationProblem, NotFound<ProblemDetails>>> SetRetention(
        string organizationId, SetRetentionRequest request, HttpContext context, PointRetention retention, OrganizationRepository organizations, CancellationToken cancellationToken)
    {
        var visible = context.User.HasClaim(ApiKeyClaims.PlatformAdmin, "true") || context.User.HasClaim(ApiKeyClaims.Organization, organizationId);
        if (!visible)
        {
            return Problems.NotFound("organization", organizationId);
        }

        if (request.Days is < MinRetentionDays or > MaxRetentionDays)
        {
            var errors = new ValidationErrors();
            errors.Add("days", $"must be between {MinRetentionDays} and {MaxRetentionDays}, or null to keep points forever");
            return errors.ToProblem();
        }

        return await retention.SetRetentionAsync(organizationId, request.Days, cancellationToken)
            && await organizations.GetAsync(organizationId, cancellationToken) is { } organization
            ? TypedResults.Ok(organization)
            : Problems.NotFound("organization", organizationId);
    }

    public static async Task<Results<Created<Organization>, ValidationProblem, Conflict<ProblemDetails>>> CreateOrganization(
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
            ? TypedResults.Conflict(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The organization already exists.",
                Detail = $"An organization with id '{request.Id}' exists already.",
            })
            : TypedResults.Created($"/api/organizations/{created.Id}", created);
    }
}

public sealed record CreateOrganizationRequest(string? Id, string? Name);

/// <summary>Days to keep the organization's points; null keeps them forever.</summary>
public sealed record SetRetentionRequest(int? Days);
