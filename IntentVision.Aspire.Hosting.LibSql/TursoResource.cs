namespace Aspire.Hosting.ApplicationModel;

/// <summary>A Turso database (managed libSQL): nothing to run, a URL and an auth token handed to the services.</summary>
public sealed class TursoResource(string name, ParameterResource url, ParameterResource authToken) : Resource(name), IResourceWithConnectionString
{
    /// <summary>The database URL, e.g. <c>libsql://db-org.turso.io</c>.</summary>
    public ParameterResource Url { get; } = url;

    /// <summary>The database's auth token (a secret).</summary>
    public ParameterResource AuthToken { get; } = authToken;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"Data Source={Url};Auth Token={AuthToken}");
}
