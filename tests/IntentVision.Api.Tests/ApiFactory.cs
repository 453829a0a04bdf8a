using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntentVision.Api.Tests;

/// <summary>
/// The API on a fresh, migrated database file of its own, with a known bootstrap admin key. The background loops
/// are off: tests run one iteration of a job by calling it, so nothing happens behind their back. Anomaly detection
/// is on: it runs inside each ingest transaction, not in the background.
/// Every log message is kept, so tests can prove that no key is ever logged.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "bootstrap-admin-key-for-tests-0123456789abcdef";

    private readonly string _directory = Directory.CreateTempSubdirectory("intentvision-api-").FullName;

    /// <summary>The database the API runs on: a file of its own here, a real sqld in <see cref="SqldApiFactory"/>.</summary>
    public string DatabaseUrl { get; private set; } = string.Empty;

    /// <summary>Makes the empty database and returns its connection string; called before the host is built.</summary>
    protected virtual Task<string> CreateDatabaseAsync(string directory) => Task.FromResult("file:" + Path.Combine(directory, "api.db"));

    protected virtual ValueTask DisposeDatabaseAsync() => ValueTask.CompletedTask;

    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>Settings a derived factory adds or overrides (applied after the defaults above).</summary>
    protected virtual IEnumerable<(string Key, string Value)> Settings => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:intentvision", DatabaseUrl);
        builder.UseSetting("IntentVision:BootstrapAdminKey", AdminKey);
        builder.UseSetting("IntentVision:Jobs:Forecast:Enabled", "false");
        builder.UseSetting("IntentVision:Jobs:Alerting:Enabled", "false");
        builder.UseSetting("IntentVision:Egress:Allow:0", "127.0.0.0/8");
        builder.UseSetting("IntentVision:Jobs:Alerting:DispatcherEnabled", "false");
        builder.UseSetting("IntentVision:Jobs:Alerting:InitialBackoff", "00:00:00.050");
        builder.UseSetting("IntentVision:Jobs:Alerting:MaxBackoff", "00:00:00.100");
        builder.UseSetting("IntentVision:Jobs:Alerting:AttemptTimeout", "00:00:05");
        builder.UseSetting("IntentVision:Jobs:Alerting:MaxAttempts", "3");
        builder.UseSetting("IntentVision:Jobs:Alerting:DashboardUrl", "http://dashboard.test");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseSetting("IntentVision:Jobs:Prometheus:Enabled", "false");
        builder.UseSetting("IntentVision:Jobs:IdempotencyCleanup:Enabled", "false");
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(new CollectingLoggerProvider(Logs));
        });
    }

    public async Task InitializeAsync()
    {
        DatabaseUrl = await CreateDatabaseAsync(_directory);
        var runner = Services.GetRequiredService<MigrationRunner>();
        await runner.RunAsync();
    }

    public LibSqlDataSource DataSource => Services.GetRequiredService<LibSqlDataSource>();

    /// <summary>
    /// Another API host on this factory's database and settings, independent of the fixture's own: the restart tests
    /// start one, dispose it (a graceful stop) and start the next on the same data.
    /// </summary>
    public WebApplicationFactory<Program> AnotherHost(Action<IWebHostBuilder>? configure = null) => WithWebHostBuilder(b => configure?.Invoke(b));

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A client with the given key (or none).</summary>
    public HttpClient Client(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient Admin() => Client(AdminKey);

    /// <summary>A new organization and a client whose key has <paramref name="scopes"/> (all of them by default).</summary>
    public async Task<Tenant> NewTenant(params string[] scopes)
    {
        var id = "org-" + Guid.NewGuid().ToString("N")[..10];
        using var created = await AsAdmin(admin => admin.PostAsJsonAsync("/api/organizations", new { id, name = "Test " + id }));
        created.EnsureSuccessStatusCode();
        var key = await NewKey(id, scopes.Length == 0 ? ["admin"] : scopes);
        return new Tenant(id, key, Client(key));
    }

    public async Task<string> NewKey(string organizationId, string[] scopes)
    {
        using var response = await AsAdmin(admin =>
        {
            admin.DefaultRequestHeaders.Add("X-IntentVision-Organization", organizationId);
            return admin.PostAsJsonAsync("/api/keys", new { name = "test key", scopes });
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>
    /// A set-up request as the platform admin. Factories with tight rate limits (the limit tests) can spend the admin
    /// key's budget in one test and set up the next within the same second: set-up waits as the 429 says, it is not
    /// what those tests measure.
    /// </summary>
    private async Task<HttpResponseMessage> AsAdmin(Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var admin = Admin();
            var response = await send(admin);
            if (response.StatusCode != System.Net.HttpStatusCode.TooManyRequests || attempt == 5)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait);
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await DisposeDatabaseAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CollectingLogger(sink, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CollectingLogger(ConcurrentQueue<string> sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            sink.Enqueue($"{category} scope {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{category} {logLevel} {formatter(state, exception)} {exception}");
    }
}

/// <summary>An organization of a test, its key and a client sending it.</summary>
public sealed record Tenant(string Id, string Key, HttpClient Client);
