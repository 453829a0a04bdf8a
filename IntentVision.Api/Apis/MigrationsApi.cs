using IntentVision.Api.Auth;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntentVision.Api.Apis;

/// <summary>
/// The schema's state (scope <c>admin</c>). Where the data lives and what runs it (URL, backend, engine version,
/// who holds the migration lock) is the platform's business: only the platform admin key sees it.
/// </summary>
public static class MigrationsApi
{
    public static RouteGroupBuilder MapMigrationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/migrations").WithTags("Migrations").RequireAuthorization(Scopes.Admin);
        api.MapGet("/", GetMigrationState).WithName("GetMigrationState")
            .WithSummary("Applied and pending migrations and drift; the platform admin also sees the database in use");
        return api;
    }

    public static async Task<Ok<MigrationStateResponse>> GetMigrationState(HttpContext context, MigrationRunner runner, LibSqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var status = await runner.GetStatusAsync(cancellationToken);
        var platform = context.User.HasClaim(ApiKeyClaims.PlatformAdmin, "true");
        return TypedResults.Ok(new MigrationStateResponse(
            platform ? dataSource.Info.Url : null,
            platform ? dataSource.Backend.ToString() : null,
            platform ? await runner.GetEngineVersionAsync(cancellationToken) : null,
            status.IsCurrent,
            status.LastAppliedAt,
            status.LastApplied?.Name,
            status.TotalDurationMs,
            platform ? status.Lock : null,
            status.Applied.ToList(),
            status.Pending.ToList(),
            status.Drifted.Concat(status.MissingFiles).ToList()));
    }
}

/// <summary>
/// The schema as the API sees it. <see cref="DatabaseUrl"/>, <see cref="Backend"/>, <see cref="EngineVersion"/> and
/// <see cref="Lock"/> are null for an organization's key; the URL never carries a token.
/// </summary>
public sealed record MigrationStateResponse(
    string? DatabaseUrl,
    string? Backend,
    string? EngineVersion,
    bool IsCurrent,
    DateTimeOffset? LastAppliedAt,
    string? LastAppliedName,
    double TotalDurationMs,
    MigrationLockHolder? Lock,
    IReadOnlyList<MigrationStatusEntry> Applied,
    IReadOnlyList<MigrationStatusEntry> Pending,
    IReadOnlyList<MigrationStatusEntry> Problems);
