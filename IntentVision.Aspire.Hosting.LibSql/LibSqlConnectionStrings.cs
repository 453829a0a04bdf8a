using Aspire.Hosting.ApplicationModel;

namespace IntentVision.Aspire.Hosting.LibSql;

/// <summary>The connection string a libSQL server resource hands to the services that reference it.</summary>
internal static class LibSqlConnectionStrings
{
    public static ReferenceExpression For(EndpointReference endpoint, ParameterResource? token) => token is null
        ? ReferenceExpression.Create($"Data Source={endpoint.Property(EndpointProperty.Url)}")
        : ReferenceExpression.Create($"Data Source={endpoint.Property(EndpointProperty.Url)};Auth Token={token}");
}
