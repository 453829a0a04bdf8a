using IntentVision.Api.Apis;
using IntentVision.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDatabase();
builder.AddSecretRedactingLogs();
builder.AddApiProblemDetails();
builder.AddApiKeyAuthentication();
builder.AddRequestLimits();
builder.AddApiDocumentation();

builder.AddIngestion();
builder.AddAnomalyDetection();
builder.AddForecasting();
builder.AddAlerting();
builder.AddSources();
builder.AddEventStream();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouting();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapApiDocumentation();
app.MapIntentVisionApi();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
