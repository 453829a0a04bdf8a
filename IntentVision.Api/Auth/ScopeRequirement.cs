using Microsoft.AspNetCore.Authorization;

namespace IntentVision.Api.Auth;

/// <summary>The key must carry <see cref="Scope"/> (or <c>admin</c>, which includes every scope of its organization).</summary>
public sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var user = context.User;
        var satisfied = requirement.Scope == Scopes.PlatformAdmin
            ? user.HasClaim(ApiKeyClaims.PlatformAdmin, "true")
            : user.HasClaim(ApiKeyClaims.PlatformAdmin, "true") || user.HasClaim(ApiKeyClaims.Scope, requirement.Scope) || user.HasClaim(ApiKeyClaims.Scope, Scopes.Admin);
        if (satisfied)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
