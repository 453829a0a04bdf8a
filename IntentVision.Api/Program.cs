using IntentVision.Api.Apis;
using IntentVision.Api.Infrastructure;
using IntentVision.Data;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddIntentVisionDatabase(builder.Configuration);
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
// Binding failures (malformed JSON, wrong types) are thrown in every environment so the handler above can
// answer with problem details that name the field, instead of a bare 400.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddOpenApi();
builder.Services.AddSingleton<IntentVision.Api.Ingestion.IngestRequestValidator>();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapScalarApiReference();
app.MapDefaultEndpoints();

app.MapOrganizationsApi();
app.MapMetricsApi();
app.MapSeriesApi();
app.MapMigrationsApi();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
