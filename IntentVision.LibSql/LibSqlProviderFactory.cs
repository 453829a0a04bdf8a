using System.Collections.Concurrent;
using System.Data.Common;

namespace IntentVision.LibSql;

/// <summary>
/// The ADO.NET provider factory, for code that is handed a <see cref="DbProviderFactory"/> (register it with
/// <c>DbProviderFactories.RegisterFactory("IntentVision.LibSql", LibSqlProviderFactory.Instance)</c>). Connections it
/// makes take their database from <see cref="DbConnection.ConnectionString"/>; every connection string gets one shared
/// <see cref="LibSqlDataSource"/> (and so one HTTP pool or one file pool), as Npgsql and Microsoft.Data.Sqlite pool by
/// connection string. Prefer <see cref="LibSqlDataSource"/> in new code: it makes the sharing explicit.
/// </summary>
public sealed class LibSqlProviderFactory : DbProviderFactory
{
    /// <summary>The one instance, as the <see cref="DbProviderFactory"/> contract asks.</summary>
    public static readonly LibSqlProviderFactory Instance = new();

    private readonly ConcurrentDictionary<string, LibSqlDataSource> _dataSources = new(StringComparer.Ordinal);

    private LibSqlProviderFactory()
    {
    }

    public override bool CanCreateBatch => true;

    public override bool CanCreateDataSourceEnumerator => false;

    public override DbConnection CreateConnection() => new LibSqlConnection();

    public override DbCommand CreateCommand() => new LibSqlCommand();

    public override DbParameter CreateParameter() => new LibSqlParameter();

    public override DbBatch CreateBatch() => new LibSqlBatch();

    public override DbBatchCommand CreateBatchCommand() => new LibSqlBatchCommand();

    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new();

    public override DbDataSource CreateDataSource(string connectionString) => LibSqlDataSource.Create(connectionString);

    /// <summary>The data source shared by connections with this connection string.</summary>
    internal LibSqlDataSource GetDataSource(string connectionString) =>
        _dataSources.GetOrAdd(connectionString, static text => LibSqlDataSource.Create(text));
}
