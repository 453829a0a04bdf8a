using IntentVision.Aspire.Hosting.LibSql;
using IntentVision.LibSql;
using IntentVision.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace IntentVision.Aspire.LibSql.Tests;

/// <summary>The service's health check against a real sqld with JWT auth: green with the right token, red otherwise.</summary>
public sealed class HealthCheckTests : IAsyncLifetime
{
    private SqldServer _server = null!;

    public async Task InitializeAsync() => _server = await SqldServer.StartAsync(requireAuth: true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<HealthReport> CheckAsync(string connectionString)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:intentvision", connectionString)]);
        builder.AddLibSqlDataSource("intentvision", s => s.HealthCheckTimeout = TimeSpan.FromSeconds(10));
        using var host = builder.Build();
        return await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
    }

    [Fact]
    public async Task ASqldThatRunsAStatementIsHealthy()
    {
        var report = await CheckAsync(_server.ConnectionString);
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["LibSql"].Status);
    }

    [Fact]
    public async Task ABadTokenIsUnhealthy()
    {
        using var stranger = LibSqlTokenIssuer.Create();
        var token = stranger.CreateToken(LibSqlAccess.ReadWrite);
        var report = await CheckAsync($"Data Source={_server.Url};Auth Token={token}");
        var entry = report.Entries["LibSql"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("HTTP_401", Assert.IsType<LibSqlException>(entry.Exception).Code);
        Assert.DoesNotContain(token, entry.Description);
    }

    [Fact]
    public async Task AStoppedServerIsUnhealthy()
    {
        var connectionString = _server.ConnectionString;
        await _server.DisposeAsync();
        var entry = (await CheckAsync(connectionString)).Entries["LibSql"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.True(Assert.IsType<LibSqlException>(entry.Exception).IsTransient);
    }
}
