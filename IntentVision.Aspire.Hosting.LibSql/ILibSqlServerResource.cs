namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A libsql-server (sqld) the AppHost runs, as a container (<see cref="LibSqlServerResource"/>) or a local process
/// (<see cref="LibSqlExecutableResource"/>). Its connection string is <c>Data Source=&lt;http url&gt;</c>, with
/// <c>;Auth Token=&lt;jwt&gt;</c> once <c>WithJwtAuthentication()</c> is applied.
/// </summary>
public interface ILibSqlServerResource : IResourceWithConnectionString, IResourceWithEndpoints, IResourceWithEnvironment, IResourceWithWaitSupport
{
    /// <summary>The name of the HTTP endpoint that speaks Hrana (and answers <c>GET /health</c>).</summary>
    const string PrimaryEndpointName = "http";

    /// <summary>The HTTP endpoint clients use.</summary>
    EndpointReference PrimaryEndpoint { get; }

    /// <summary>The secret token the connection string carries, once JWT authentication is on.</summary>
    ParameterResource? AuthToken { get; set; }
}
