using IntentVision.LibSql;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntentVision.Aspire.LibSql;

/// <summary>
/// Healthy when the database runs <c>SELECT 1</c> through the registered data source: on a server that is a real Hrana
/// request with the service's token, so an unreachable server and a refused token both fail it. The description names
/// the database by its URL, never the token. The command times out on its own, a second before the check's timeout:
/// a server that stopped answering then counts against the data source's circuit breaker, which opens and fails the
/// service's other calls at once instead of letting each wait out its own timeout.
/// </summary>
internal sealed class LibSqlDataSourceHealthCheck(LibSqlDataSource dataSource, TimeSpan? timeout = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new LibSqlCommand("SELECT 1", connection);
            if (timeout is { } limit)
            {
                command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(limit.TotalSeconds) - 1);
            }

            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{dataSource.Info.Url} answers.");
        }
        catch (LibSqlException e)
        {
            return HealthCheckResult.Unhealthy($"{dataSource.Info.Url} does not answer ({e.Code}).", e);
        }
    }
}
