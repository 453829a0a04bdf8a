using IntentVision.Aspire.Hosting.LibSql;
using IntentVision.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntentVision.Aspire.Hosting.LibSql.Tests;

/// <summary>The AppHost's readiness check against a real sqld with JWT auth: a Hrana request that must run a statement.</summary>
public sealed class HealthCheckTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private SqldServer _server = null!;

    public async Task InitializeAsync() => _server = await SqldServer.StartAsync(requireAuth: true);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    private Task<HealthCheckResult> CheckAsync(string connectionString) =>
        new LibSqlHealthCheck(_http, _ => ValueTask.FromResult<string?>(connectionString)).CheckHealthAsync(new HealthCheckContext());

    [Fact]
    public async Task ASqldThatRunsAStatementWithTheTokenIsHealthy()
    {
        var result = await CheckAsync(_server.ConnectionString);
        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task AWrongTokenIsUnhealthyAndTheTokenIsNotShown()
    {
        using var stranger = LibSqlTokenIssuer.Create();
        var token = stranger.CreateToken(LibSqlAccess.ReadWrite);
        var result = await CheckAsync($"Data Source={_server.Url};Auth Token={token}");
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("401", result.Description);
        Assert.DoesNotContain(token, result.Description);
    }

    [Fact]
    public async Task AStoppedServerIsUnhealthy()
    {
        var connectionString = _server.ConnectionString;
        await _server.DisposeAsync();
        var result = await CheckAsync(connectionString);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("does not answer", result.Description);
    }
}
