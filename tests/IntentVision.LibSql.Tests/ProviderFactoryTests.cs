using System.Data.Common;
using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests;

/// <summary>Code handed a DbProviderFactory gets the same one connection type, configured by connection string.</summary>
public abstract class ProviderFactoryTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    [Fact]
    public async Task TheFactoryMakesConnectionsFromAConnectionString()
    {
        DbProviderFactories.RegisterFactory("IntentVision.LibSql", LibSqlProviderFactory.Instance);
        var factory = DbProviderFactories.GetFactory("IntentVision.LibSql");
        var connectionString = Backend == TestBackend.File
            ? DataSource.Info.Url
            : Server.ConnectionString;

        await using var connection = factory.CreateConnection()!;
        Assert.IsType<LibSqlConnection>(connection);
        connection.ConnectionString = connectionString;
        await connection.OpenAsync();
        await using var command = factory.CreateCommand()!;
        command.Connection = connection;
        command.CommandText = "SELECT @x * 2";
        var parameter = factory.CreateParameter()!;
        parameter.ParameterName = "x";
        parameter.Value = 21;
        command.Parameters.Add(parameter);
        Assert.Equal(42L, await command.ExecuteScalarAsync());
        Assert.Throws<InvalidOperationException>(() => connection.ConnectionString = "file:elsewhere.db");

        await using var dataSource = factory.CreateDataSource(connectionString);
        await using var other = await dataSource.OpenConnectionAsync();
        Assert.IsType<LibSqlConnection>(other);
    }
}

[Collection(SqldCollection.Name)]
public sealed class ProviderFactoryFileTests(SqldServer server) : ProviderFactoryTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class ProviderFactorySqldTests(SqldServer server) : ProviderFactoryTests(server, TestBackend.Sqld);
