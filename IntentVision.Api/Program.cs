using IntentVision.Api.Alerting;
using IntentVision.Api.Apis;
using IntentVision.Api.Auth;
using IntentVision.Api.Detection;
using IntentVision.Api.Forecasting;
using IntentVision.Api.Infrastructure;
using IntentVision.Api.Ingestion;
using IntentVision.Api.Sources;
using IntentVision.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = InputRules.MaxIngestBodyBytes);
builder.Configuration.AddIntentVisionDatabaseDefaults();
builder.AddLibSqlDataSource(IntentVisionDatabase.ConnectionStringName);
builder.Services.AddIntentVisionDatabase();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
// Binding failures (malformed JSON, wrong types) are thrown in every environment so the handler above can
// answer with problem details that name the field, instead of a bare 400.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddOpenApi(o => o.AddDocumentTransformer<ApiKeySecurityTransformer>());
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

// Keys, scopes and tenancy.
builder.Services.AddSingleton<ApiKeyValidator>();
builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorization(o =>
{
    foreach (var scope in Scopes.All.Append(Scopes.PlatformAdmin))
    {
        o.AddPolicy(scope, p => p.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope)));
    }
});
builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();

// Ingestion, detection, forecasting, alerting, sources; each job's settings under IntentVision:Jobs:<Name>.
var jobs = builder.Configuration.GetSection("IntentVision:Jobs");
builder.Services.Configure<DetectionOptions>(jobs.GetSection("Detection"));
builder.Services.Configure<ForecastJobOptions>(jobs.GetSection("Forecast"));
builder.Services.Configure<AlertingOptions>(jobs.GetSection("Alerting"));
builder.Services.Configure<PrometheusScrapeOptions>(jobs.GetSection("Prometheus"));
builder.Services.Configure<IntentVision.Api.Jobs.IdempotencyCleanupOptions>(jobs.GetSection("IdempotencyCleanup"));
builder.Services.AddSingleton<IngestRequestValidator>();
builder.Services.AddSingleton<DetectionQueue>();
builder.Services.AddSingleton<IngestionService>();
builder.Services.AddSingleton<ForecastService>();
builder.Services.AddSingleton<WebhookNotifier>();
builder.Services.AddSingleton<AnomalyDetectionJob>();
builder.Services.AddSingleton<ForecastJob>();
builder.Services.AddSingleton<AlertEvaluationJob>();
builder.Services.AddSingleton<PrometheusScrapeJob>();
builder.Services.AddSingleton<IntentVision.Api.Jobs.IdempotencyCleanupJob>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<AnomalyDetectionJob>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<ForecastJob>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertEvaluationJob>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<PrometheusScrapeJob>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<IntentVision.Api.Jobs.IdempotencyCleanupJob>());

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
// The rewrite first, so the size guard sees /api/metrics for /api/organizations/{org}/metrics too.
app.UseMiddleware<OrganizationPathRewrite>();
app.UseMiddleware<RequestSizeGuard>();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi();
app.MapScalarApiReference();
app.MapDefaultEndpoints();

app.MapOrganizationsApi();
app.MapTenantApis();
app.MapMigrationsApi();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
