using Microsoft.Extensions.Configuration;

namespace IntentVision.Data.Tests;

/// <summary>The seed's variables reach the libSQL client integration's settings without overriding what is set.</summary>
public sealed class DatabaseSettingsTests
{
    private static ConfigurationManager Configure(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)));
        configuration.AddIntentVisionDatabaseDefaults();
        return configuration;
    }

    [Fact]
    public void WithNothingSetTheDatabaseIsTheDefaultFile()
    {
        var configuration = Configure();
        Assert.Equal("file:db/intentvision.db", configuration["Aspire:LibSql:Client:ConnectionString"]);
        Assert.Null(configuration["Aspire:LibSql:Client:AuthToken"]);
    }

    [Fact]
    public void TheUrlAndTokenVariablesBecomeTheClientSettings()
    {
        var configuration = Configure(("INTENTVISION_DB_URL", "http://127.0.0.1:8080"), ("INTENTVISION_DB_AUTH_TOKEN", "jwt"));
        Assert.Equal("http://127.0.0.1:8080", configuration["Aspire:LibSql:Client:ConnectionString"]);
        Assert.Equal("jwt", configuration["Aspire:LibSql:Client:AuthToken"]);
    }

    [Fact]
    public void ClientSettingsAlreadySetAreKept()
    {
        var configuration = Configure(
            ("INTENTVISION_DB_URL", "http://127.0.0.1:8080"),
            ("INTENTVISION_DB_AUTH_TOKEN", "jwt"),
            ("Aspire:LibSql:Client:ConnectionString", "libsql://db-org.turso.io"),
            ("Aspire:LibSql:Client:AuthToken", "turso-token"));
        Assert.Equal("libsql://db-org.turso.io", configuration["Aspire:LibSql:Client:ConnectionString"]);
        Assert.Equal("turso-token", configuration["Aspire:LibSql:Client:AuthToken"]);
    }
}
