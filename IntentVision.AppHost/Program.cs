using Microsoft.Extensions.Hosting;
using IntentVision.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var database = builder.AddIntentVisionDatabase();

// The first admin key of the API, generated once and kept in the AppHost's user secrets; the dashboard reads with it.
var adminKey = builder.AddParameter("admin-api-key", new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);

var migrator = builder.AddProject<Projects.IntentVision_Migrator>("migrator")
    .WithArgs("run")
    .WithIntentVisionDatabase(database);

var api = builder.AddProject<Projects.IntentVision_Api>("api")
    .WithIntentVisionDatabase(database)
    .WithEnvironment("IntentVision__BootstrapAdminKey", adminKey)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health");

// On a developer's machine the webhook receivers and exporters under test run on loopback, which the egress policy
// denies everywhere else.
if (builder.Environment.IsDevelopment())
{
    api.WithEnvironment("IntentVision__Egress__Allow__0", "127.0.0.0/8").WithEnvironment("IntentVision__Egress__Allow__1", "::1/128");
}

var dashboard = builder.AddProject<Projects.IntentVision_Dashboard>("dashboard")
    .WithReference(api)
    .WithEnvironment("IntentVisionApi__ApiKey", adminKey)
    .WaitFor(api)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .AnnounceUrlWhenReady("IntentVision dashboard");

// Notifications link to the alert on the dashboard.
api.WithEnvironment("IntentVision__Jobs__Alerting__DashboardUrl", dashboard.GetEndpoint("http"));

builder.Build().Run();
