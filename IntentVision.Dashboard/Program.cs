using IntentVision.Dashboard.Components;
using IntentVision.Dashboard.Services;
using Microsoft.AspNetCore.ResponseCompression;
using Radzen;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddRazorComponents().AddInteractiveServerComponents()
    // The browser hands the prerendered page's state back over the circuit; the metrics page's chart (up to
    // Metrics.MaxPersistedBytes) must fit in one message, above SignalR's 32 KB default.
    .AddHubOptions(options => options.MaximumReceiveMessageSize = 256 * 1024);
builder.Services.AddRadzenComponents();
builder.Services.AddScoped<OrganizationSelection>();

// Pages are rendered per request, so MapStaticAssets' build-time compression does not cover them; the metrics
// page carries its chart's SVG and state (about 200 KB) and shrinks to a fraction. Static assets keep their
// precompressed files (the middleware leaves responses that are already encoded alone). Over HTTPS the default
// (off) stands, as pages mix secrets such as antiforgery tokens with reflected input (BREACH).
builder.Services.AddResponseCompression(options =>
{
    options.Providers.Add<BrotliCompressionProvider>();
    options.Providers.Add<GzipCompressionProvider>();
});

// Everything the dashboard shows comes through the API; "api" is resolved by service discovery.
builder.Services.AddHttpClient<IntentVisionApiClient>(client =>
    client.BaseAddress = new Uri(builder.Configuration["IntentVisionApi:BaseAddress"] ?? "https+http://api"));

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseResponseCompression();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapDefaultEndpoints();

app.Run();
