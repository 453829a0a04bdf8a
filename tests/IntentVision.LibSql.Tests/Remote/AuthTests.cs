using IntentVision.Aspire.Hosting.LibSql;
using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>sqld with SQLD_AUTH_JWT_KEY: tokens from <see cref="LibSqlTokenIssuer"/> work, and every refusal is a clear error without the token in it.</summary>
public sealed class AuthTests(SqldServerWithAuth server) : IClassFixture<SqldServerWithAuth>
{
    [Fact]
    public async Task AReadWriteTokenReadsAndWrites()
    {
        using var dataSource = LibSqlDataSource.Create(server.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var table = BackendTestBase.UniqueTable();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER)");
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1)");
        Assert.Equal(1L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task NoTokenIsA401()
    {
        using var dataSource = server.CreateDataSource(token: string.Empty);
        var error = await FailAsync(dataSource, "SELECT 1");
        Assert.Equal(401, error.HttpStatusCode);
        Assert.Contains("401", error.Message);
        Assert.Equal("SELECT 1", error.Statement);
    }

    [Fact]
    public async Task ATokenSignedByAnotherKeyIsA401AndIsNeverEchoed()
    {
        using var stranger = LibSqlTokenIssuer.Create();
        var token = stranger.CreateToken(LibSqlAccess.ReadWrite);
        using var dataSource = LibSqlDataSource.Create($"{server.Url}?authToken={token}");
        Assert.DoesNotContain(token, dataSource.ConnectionString);
        var error = await FailAsync(dataSource, "SELECT 1");
        Assert.Equal(401, error.HttpStatusCode);
        Assert.NotNull(error.Code);
        Assert.DoesNotContain(token, error.ToString());
    }

    [Fact]
    public async Task AnExpiredTokenIsA401()
    {
        using var dataSource = server.CreateDataSource(token: server.CreateToken(LibSqlAccess.ReadWrite, TimeSpan.FromMinutes(-10)));
        var error = await FailAsync(dataSource, "SELECT 1");
        Assert.Equal(401, error.HttpStatusCode);
    }

    [Fact]
    public async Task AReadOnlyTokenReadsButWritingIsA403()
    {
        var table = BackendTestBase.UniqueTable();
        using (var writer = server.CreateDataSource())
        {
            await using var connection = await writer.OpenConnectionAsync();
            await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER)");
        }

        var readOnly = server.CreateToken(LibSqlAccess.ReadOnly);
        using var dataSource = LibSqlDataSource.Create($"Data Source={server.Url};Auth Token={readOnly}");
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
        }

        var error = await FailAsync(dataSource, $"INSERT INTO {table} VALUES (1)");
        Assert.Equal(403, error.HttpStatusCode);
        Assert.Contains("403", error.Message);
        Assert.NotNull(error.Code);
        Assert.Equal($"INSERT INTO {table} VALUES (1)", error.Statement);
        Assert.DoesNotContain(readOnly, error.ToString());
    }

    [Fact]
    public void ThePublicKeyHasBothFormsSqldAcceptsAndAKeySurvivesExport()
    {
        using var issuer = LibSqlTokenIssuer.Create();
        Assert.Equal(43, issuer.PublicKey.Length);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", issuer.PublicKeyPem);
        using var again = LibSqlTokenIssuer.FromPrivateKey(issuer.ExportPrivateKey());
        Assert.Equal(issuer.PublicKey, again.PublicKey);
        var parts = issuer.CreateToken(LibSqlAccess.ReadOnly, TimeSpan.FromHours(1)).Split('.');
        Assert.Equal(3, parts.Length);
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        Assert.Contains("\"a\":\"ro\"", payload);
        Assert.Contains("\"exp\":", payload);
    }

    private static async Task<LibSqlException> FailAsync(LibSqlDataSource dataSource, string sql)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, sql));
    }
}
