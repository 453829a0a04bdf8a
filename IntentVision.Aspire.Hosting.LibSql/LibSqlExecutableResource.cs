using IntentVision.Aspire.Hosting.LibSql;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>A libsql-server (sqld) run as a local process, bound to 127.0.0.1 (for machines without a container runtime).</summary>
public sealed class LibSqlExecutableResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), ILibSqlServerResource
{
    public EndpointReference PrimaryEndpoint => field ??= new(this, ILibSqlServerResource.PrimaryEndpointName);

    public ParameterResource? AuthToken { get; set; }

    /// <summary>sqld's database folder (<c>--db-path</c>), made when the process starts.</summary>
    public string DataDirectory { get; set; } = Path.Combine(workingDirectory, "data.sqld");

    public ReferenceExpression ConnectionStringExpression => LibSqlConnectionStrings.For(PrimaryEndpoint, AuthToken);
}
