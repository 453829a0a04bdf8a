using IntentVision.Data.Migrations;
using IntentVision.LibSql;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntentVision.Api.Apis;

public static class MigrationsApi
{
    public static RouteGroupBuilder MapMigrationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/migrations").WithTags("Migrations").RequireAuthorization();
        api.MapGet("/", GetMigrationState).WithName("GetMigrationState").WithSummary("Applied and pending migrations, drift, and the database in use");
        return api;
    }

    public static async Task<Ok<MigrationStateResponse>> GetMigrationState(MigrationRunner runner, LibSqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var status = await runner.GetStatusAsync(cancellationToken);
        return TypedResults.Ok(new MigrationStateResponse(
            dataSource.Info.Url,
            dataSource.Backend.ToString(),
            await runner.GetEngineVersionAsync(cancellationToken),
            status.IsCurrent,
            status.LastAppliedAt,
            status.LastApplied?.Name,
            status.TotalDurationMs,
            status.Lock,
            status.Applied.ToList(),
            status.Pending.ToList(),
            status.Drifted.Concat(status.MissingFiles).ToList()));
    }
}

/// <summary>The schema as the API sees it. The database URL never carries a token.</summary>
public sealed record MigrationStateResponse(
    string DatabaseUrl,
    string Backend,
    string EngineVersion,
    bool IsCurrent,
    DateTimeOffset? LastAppliedAt,
    string? LastAppliedName,
    double TotalDurationMs,
    MigrationLockHolder? Lock,
    IReadOnlyList<MigrationStatusEntry> Applied,
    IReadOnlyList<MigrationStatusEntry> Pending,
    IReadOnlyList<MigrationStatusEntry> Problems);
