using IntentVision.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var database = builder.AddIntentVisionDatabase();

var migrator = builder.AddProject<Projects.IntentVision_Migrator>("migrator")
    .WithArgs("run")
    .WithIntentVisionDatabase(database);

var api = builder.AddProject<Projects.IntentVision_Api>("api")
    .WithIntentVisionDatabase(database)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.IntentVision_Dashboard>("dashboard")
    .WithReference(api)
    .WaitFor(api)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .AnnounceUrlWhenReady("IntentVision dashboard");

builder.Build().Run();
