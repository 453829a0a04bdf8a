using IntentVision.Api.Auth;
using IntentVision.Api.Ingestion;
using IntentVision.Data.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Apis;

/// <summary>API keys of the organization (scope <c>admin</c>). A key is shown once, in the answer that creates it.</summary>
public static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/keys").WithTags("API keys").RequireAuthorization(Scopes.Admin);
        api.MapGet("/", ListKeys).WithName("ListKeys").WithSummary("List the organization's keys (never the keys themselves)");
        api.MapPost("/", CreateKey).WithName("CreateKey").WithSummary("Create a key; the answer is the only time the key is shown");
        api.MapDelete("/{keyId}", RevokeKey).WithName("RevokeKey").WithSummary("Revoke a key; it stops working at once");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<ApiKey>>> ListKeys(Tenant tenant, ApiKeyRepository keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListAsync(tenant.OrganizationId, cancellationToken));

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateKey(Tenant tenant, CreateApiKeyRequest request, ApiKeyRepository keys, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            errors.Add("name", "is required: 1 to 200 characters");
        }

        var scopes = request.Scopes?.Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (scopes.Count == 0)
        {
            errors.Add("scopes", $"must name at least one of: {string.Join(", ", Scopes.All)}");
        }

        for (var i = 0; i < scopes.Count; i++)
        {
            if (!Scopes.All.Contains(scopes[i]))
            {
                errors.Add($"scopes[{i}]", $"must be one of: {string.Join(", ", Scopes.All)}");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var key = ApiKeyFormat.NewKey();
        var stored = await keys.CreateAsync(ApiKeyFormat.NewKeyId(), tenant.OrganizationId, request.Name!.Trim(), ApiKeyFormat.Display(key), ApiKeyFormat.Hash(key), scopes, cancellationToken);
        return TypedResults.Created($"/api/keys/{stored.Id}", new CreatedApiKey(stored.Id, stored.OrganizationId, stored.Name, stored.Prefix, stored.Scopes, stored.CreatedAt, key));
    }

    public static async Task<Results<Ok<ApiKey>, NotFound<ProblemDetails>>> RevokeKey(Tenant tenant, string keyId, ApiKeyRepository keys, ApiKeyValidator validator, CancellationToken cancellationToken)
    {
        var revoked = await keys.RevokeAsync(tenant.OrganizationId, keyId, cancellationToken);
        if (revoked is null)
        {
            return Problems.NotFound("API key", keyId);
        }

        validator.Forget(keyId);
        return TypedResults.Ok(revoked);
    }
}

public sealed record CreateApiKeyRequest(string? Name, List<string>? Scopes);

/// <summary>A new key. <see cref="Key"/> is shown here only: store it now.</summary>
public sealed record CreatedApiKey(string Id, string OrganizationId, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, string Key);
