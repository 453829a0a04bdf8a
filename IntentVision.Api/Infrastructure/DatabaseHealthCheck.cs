using Dapper;
using IntentVision.LibSql;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntentVision.Api.Infrastructure;

/// <summary>Healthy when the database answers a query; the description names the database without any token.</summary>
internal sealed class DatabaseHealthCheck(LibSqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy($"{dataSource.Info.Url} answers");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{dataSource.Info.Url} does not answer: {e.Message}");
        }
    }
}
