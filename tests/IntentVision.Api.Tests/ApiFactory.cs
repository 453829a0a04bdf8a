using IntentVision.Data.Migrations;
using IntentVision.LibSql;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IntentVision.Api.Tests;

/// <summary>The API on a fresh, migrated database file of its own.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("intentvision-api-").FullName;

    public string DatabaseUrl => "file:" + Path.Combine(_directory, "api.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:intentvision", DatabaseUrl);
    }

    public async Task InitializeAsync()
    {
        var runner = Services.GetRequiredService<MigrationRunner>();
        await runner.RunAsync();
    }

    public LibSqlDataSource DataSource => Services.GetRequiredService<LibSqlDataSource>();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
