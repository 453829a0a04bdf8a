using IntentVision.Dashboard.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddBlazorDashboard();
builder.AddPageCompression();
builder.AddIntentVisionApi();

var app = builder.Build();

app.MapBlazorDashboard();

app.Run();
