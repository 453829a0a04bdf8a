using Aspire.Hosting.ApplicationModel;

namespace IntentVision.AppHost;

/// <summary>The database as the rest of the app model sees it: a connection string, and the server behind it when there is one.</summary>
public sealed record IntentVisionDatabase(DatabaseMode Mode, IResourceBuilder<IResourceWithConnectionString> ConnectionString, IResourceBuilder<IResource>? Server);
