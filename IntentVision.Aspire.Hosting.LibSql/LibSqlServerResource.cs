using IntentVision.Aspire.Hosting.LibSql;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>A libsql-server (sqld) in a container (<c>ghcr.io/tursodatabase/libsql-server</c>).</summary>
public sealed class LibSqlServerResource(string name) : ContainerResource(name), ILibSqlServerResource
{
    public EndpointReference PrimaryEndpoint => field ??= new(this, ILibSqlServerResource.PrimaryEndpointName);

    public ParameterResource? AuthToken { get; set; }

    public ReferenceExpression ConnectionStringExpression => LibSqlConnectionStrings.For(PrimaryEndpoint, AuthToken);
}
