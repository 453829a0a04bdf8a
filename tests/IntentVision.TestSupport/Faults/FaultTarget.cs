using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;

namespace IntentVision.TestSupport.Faults;

/// <summary>
/// What a fault scenario runs against: a migrated database (a file, or a real sqld with JWT auth), optionally on a
/// <see cref="PrivateDisk"/>, one or more <see cref="ApiProcess"/> replicas on it, and an organization with an ingest
/// key. What was stored is checked through the API (<see cref="StoredPoints"/>).
/// </summary>
public sealed class FaultTarget : IAsyncDisposable
{
    public const string AdminKey = "fault-admin-key-0123456789abcdef0123456789";

    /// <summary>
    /// The private disk of a full-disk scenario: small enough to fill in a moment (a tmpfs, in memory), large enough that
    /// the load, which goes on writing for up to half a minute after the space is freed, does not fill it again (a few
    /// megabytes a second), so a recovery is measured and not a second fault.
    /// </summary>
    public const long FullDiskBytes = 192L * 1024 * 1024;

    private readonly string _directory;

    private FaultTarget(TestBackend backend, string directory, PrivateDisk? disk, SqldServer? sqld, string? databaseFile)
    {
        Backend = backend;
        _directory = directory;
        Disk = disk;
        Sqld = sqld;
        DatabaseFile = databaseFile;
    }

    public TestBackend Backend { get; }

    public PrivateDisk? Disk { get; }

    public SqldServer? Sqld { get; }

    /// <summary>The file of a file database, as this process sees it.</summary>
    public string? DatabaseFile { get; }

    public List<ApiProcess> Apis { get; } = [];

    /// <summary>An ingest key of the target's organization.</summary>
    public string IngestKey { get; private set; } = string.Empty;

    /// <param name="diskBytes">Put the database on a private disk of this size (a full-disk scenario).</param>
    /// <param name="replicas">API processes on the one database.</param>
    /// <param name="withoutFileOverride">Run the API without root's power to ignore file permissions (a read-only-file scenario).</param>
    public static async Task<FaultTarget> StartAsync(TestBackend backend, long? diskBytes = null, int replicas = 1, bool withoutFileOverride = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var directory = Directory.CreateTempSubdirectory("intentvision-fault-").FullName;
        var disk = diskBytes is { } bytes ? await PrivateDisk.CreateAsync(bytes) : null;
        SqldServer? sqld = null;
        string connection;
        string? file = null;
        if (backend == TestBackend.Sqld)
        {
            sqld = await SqldServer.StartAsync(requireAuth: true, disk);
            connection = sqld.ConnectionString;
            await MigrateAsync(connection);
        }
        else
        {
            // Migrated here, then moved onto the private disk by its host path (SQLite itself resolves /proc/<pid>/root
            // to the host's view, so it cannot open a file there; plain file copies can).
            file = Path.Combine(directory, "api.db");
            await MigrateAsync("file:" + file);
            if (disk is not null)
            {
                File.Copy(file, Path.Combine(disk.HostPath, "api.db"));
                File.Delete(file);
                file = Path.Combine(disk.HostPath, "api.db");
            }

            connection = "file:" + (disk is null ? file : Path.Combine(disk.MountPoint, "api.db"));
        }

        var target = new FaultTarget(backend, directory, disk, sqld, file);
        try
        {
            for (var i = 0; i < replicas; i++)
            {
                target.Apis.Add(await ApiProcess.StartAsync(new ApiProcessOptions(connection, AdminKey, disk, withoutFileOverride, WithoutLimits(settings))));
            }

            target.IngestKey = await target.CreateTenantAsync();
        }
        catch (Exception e)
        {
            var output = string.Join("\n", target.Apis.Select(a => a.Output));
            await target.DisposeAsync();
            throw new InvalidOperationException($"The fault target did not start: {e.Message}\n{output}", e);
        }

        return target;
    }

    /// <summary>
    /// How often each API's writer ran a group again after a failure that committed nothing, by the failure's code (from
    /// their logs): how two replicas' writers meet on one server (SQLITE_BUSY, the server's TRANSACTION_TIMEOUT).
    /// </summary>
    public string WriterRetries()
    {
        var counts = Apis.Select(api => System.Text.RegularExpressions.Regex.Matches(api.Output, @"failed before committing \((\w*)\); writing it again")
            .GroupBy(m => m.Groups[1].Value.Length == 0 ? "no code" : m.Groups[1].Value)
            .Select(g => $"{g.Count()}x {g.Key}")
            .DefaultIfEmpty("none"));
        return "writer retries: " + string.Join(" / ", counts.Select((c, i) => $"replica {i + 1}: {string.Join(", ", c)}"));
    }

    private static async Task MigrateAsync(string connection)
    {
        await using var database = LibSqlDataSource.Create(connection);
        await new MigrationRunner(database, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System).RunAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var api in Apis)
        {
            await api.DisposeAsync();
        }

        if (Sqld is not null)
        {
            await Sqld.DisposeAsync();
        }

        if (Disk is not null)
        {
            await Disk.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Request limits off: a fault run measures failures, not quotas (the retries of a load would spend them).</summary>
    private static Dictionary<string, string> WithoutLimits(IReadOnlyDictionary<string, string>? settings)
    {
        var all = new Dictionary<string, string>
        {
            ["IntentVision:Limits:RequestsPerSecondPerKey"] = "0",
            ["IntentVision:Limits:RequestsPerSecondPerOrganization"] = "0",
            ["IntentVision:Limits:IngestPointsPerMinutePerKey"] = "0",
            ["IntentVision:Limits:IngestPointsPerMinutePerOrganization"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return all;
    }

    private async Task<string> CreateTenantAsync()
    {
        using var admin = new HttpClient { BaseAddress = Apis[0].BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var organization = "fault-" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await admin.PostAsJsonAsync("/api/organizations", new { id = organization, name = "Fault scenario" }))
        {
            created.EnsureSuccessStatusCode();
        }

        using var key = await admin.PostAsJsonAsync($"/api/organizations/{organization}/keys", new { name = "fault load", scopes = new[] { "ingest:write", "metrics:read" } });
        key.EnsureSuccessStatusCode();
        return (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }
}
