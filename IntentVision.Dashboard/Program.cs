using IntentVision.Dashboard.Components;
using IntentVision.Dashboard.Services;
using Radzen;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddRadzenComponents();
builder.Services.AddScoped<OrganizationSelection>();

// Everything the dashboard shows comes through the API; "api" is resolved by service discovery.
builder.Services.AddHttpClient<IntentVisionApiClient>(client =>
    client.BaseAddress = new Uri(builder.Configuration["IntentVisionApi:BaseAddress"] ?? "https+http://api"));

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapDefaultEndpoints();

app.Run();
