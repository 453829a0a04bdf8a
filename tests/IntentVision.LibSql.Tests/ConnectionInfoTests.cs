namespace IntentVision.LibSql.Tests;

public sealed class ConnectionInfoTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/", null)]
    [InlineData("libsql://db-org.turso.io?authToken=abc", "https://db-org.turso.io/", "abc")]
    [InlineData("libsql://localhost:8080?tls=0", "http://localhost:8080/", null)]
    [InlineData("Data Source=https://x.example;Auth Token=s3cr3t", "https://x.example/", "s3cr3t")]
    public void RemoteUrlsResolveToAnHttpEndpointAndAToken(string text, string endpoint, string? token)
    {
        var info = LibSqlConnectionInfo.Parse(text);
        Assert.Equal(LibSqlBackend.Remote, info.Backend);
        Assert.Equal(endpoint, info.HttpEndpoint!.AbsoluteUri);
        Assert.Equal(token, info.AuthToken);
        if (token is not null)
        {
            Assert.DoesNotContain(token, info.Url);
            Assert.DoesNotContain(token, info.ToString());
        }
    }
}
