using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IntentVision.ServiceDefaults.Tests;

public sealed class ServiceDefaultsTests
{
    private static async Task<WebApplication> StartApp(Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task HealthAndAliveAnswer()
    {
        await using var app = await StartApp();
        var client = app.GetTestClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task AFailingReadinessCheckFailsHealthButNotAlive()
    {
        await using var app = await StartApp(b => b.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Unhealthy("down")));
        var client = app.GetTestClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task RegistersTracingMetricsAndResilientServiceDiscoveryClients()
    {
        await using var app = await StartApp();
        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("any");
        Assert.NotNull(client);
    }
}
