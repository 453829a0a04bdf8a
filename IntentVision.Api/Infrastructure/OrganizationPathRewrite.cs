using IntentVision.Api.Apis;
using IntentVision.Api.Auth;

namespace IntentVision.Api.Infrastructure;

/// <summary>
/// Lets a caller address an organization in the path, <c>/api/organizations/{id}/series</c>, as the equivalent of
/// <c>/api/series</c> with <c>X-IntentVision-Organization: {id}</c>. <see cref="Tenant"/> then applies the same rule
/// to both forms: honoured for the platform admin key, 404 for another organization's key.
/// </summary>
public sealed class OrganizationPathRewrite(RequestDelegate next)
{
    private const string Prefix = "/api/organizations/";

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is not null && path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var rest = path.AsSpan(Prefix.Length);
            var slash = rest.IndexOf('/');
            if (slash > 0)
            {
                var organization = rest[..slash].ToString();
                var tail = rest[(slash + 1)..];
                var next = tail.IndexOf('/');
                var resource = (next < 0 ? tail : tail[..next]).ToString();
                if (TenantApis.Resources.Contains(resource))
                {
                    context.Request.Path = "/api/" + tail.ToString();
                    context.Request.Headers[Tenant.OrganizationHeader] = Uri.UnescapeDataString(organization);
                }
            }
        }

        return next(context);
    }
}
