using Aspire.Hosting.ApplicationModel;

namespace IntentVision.AppHost;

/// <summary>
/// The database as the rest of the app model sees it: what gives the connection string (the server itself, the Turso
/// resource, or a plain connection string for the embedded file), and the server to wait for when there is one.
/// </summary>
public sealed record IntentVisionDatabase(DatabaseMode Mode, IResourceBuilder<IResourceWithConnectionString> ConnectionString, IResourceBuilder<IResourceWithWaitSupport>? Server);
