using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Sources;

/// <summary>Ingestion sources. Writes go through the one <see cref="DatabaseWriter"/>; reads use pooled connections.</summary>
public sealed class IngestionSourceRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    private const string SelectColumns = """
        SELECT id AS Id, organization_id AS OrganizationId, name AS Name, type AS Type, config AS Config, interval_seconds AS IntervalSeconds,
               enabled AS Enabled, last_sync_at AS LastSyncAt, last_error AS LastError, created_at AS CreatedAt,
               last_success_at AS LastSuccessAt
        FROM ingestion_sources
        """;

    /// <summary>Creates the source; null when the organization has a source of that name already.</summary>
    public async Task<IngestionSource?> CreateAsync(string organizationId, string name, string type, string config, int? intervalSeconds, bool enabled, CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        var id = await writer.WriteAsync((scope, token) => scope.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO ingestion_sources (organization_id, name, type, config, interval_seconds, enabled, created_at)
            VALUES (@OrganizationId, @Name, @Type, @Config, @IntervalSeconds, @Enabled, @Now)
            ON CONFLICT (organization_id, name) DO NOTHING
            RETURNING id
            """,
            new { OrganizationId = organizationId, Name = name, Type = type, Config = config, IntervalSeconds = intervalSeconds, Enabled = enabled ? 1 : 0, Now = now },
            scope.Transaction,
            cancellationToken: token)), cancellationToken);
        return id is { } created ? await GetAsync(organizationId, created, cancellationToken) : null;
    }

    public async Task<IngestionSource?> GetAsync(string organizationId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SourceRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND id = @Id", new { OrganizationId = organizationId, Id = id }, cancellationToken: cancellationToken));
        return row?.ToSource();
    }

    /// <summary>A source by id alone: webhook pushes carry no API key, their signature is checked against the source's secret.</summary>
    public async Task<IngestionSource?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SourceRow>(new CommandDefinition(
            SelectColumns + " WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToSource();
    }

    public async Task<IReadOnlyList<IngestionSource>> ListAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SourceRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId ORDER BY name", new { OrganizationId = organizationId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSource()).ToList();
    }

    /// <summary>Enabled sources of a type, across organizations, that have never synced or last synced at least their interval before <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<IngestionSource>> ListDueAsync(string type, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SourceRow>(new CommandDefinition(
            SelectColumns + " WHERE type = @Type AND enabled = 1 ORDER BY id", new { Type = type }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSource())
            .Where(s => s.LastSyncAt is null || s.LastSyncAt.Value.AddSeconds(s.IntervalSeconds ?? 60) <= now)
            .ToList();
    }

    public async Task<bool> DeleteAsync(string organizationId, long id, CancellationToken cancellationToken = default) =>
        await writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM ingestion_sources WHERE organization_id = @OrganizationId AND id = @Id", new { OrganizationId = organizationId, Id = id }, scope.Transaction, cancellationToken: token)),
            cancellationToken) > 0;

    /// <summary>
    /// Records a sync attempt: its time, the error (null when none) and whether it succeeded (a scrape that was read
    /// and stored, even when some samples were rejected): only a success moves <c>last_success_at</c>.
    /// </summary>
    public Task RecordSyncAsync(long id, DateTimeOffset at, string? error, bool succeeded, CancellationToken cancellationToken = default) =>
        writer.WriteAsync((scope, token) => RecordSyncAsync(scope, id, at, error, succeeded, token), cancellationToken);

    /// <summary>As <see cref="RecordSyncAsync(long, DateTimeOffset, string?, bool, CancellationToken)"/>, inside a unit of work (a push records its sync with its points).</summary>
    public static async Task<bool> RecordSyncAsync(WriteScope scope, long id, DateTimeOffset at, string? error, bool succeeded, CancellationToken cancellationToken)
    {
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE ingestion_sources SET last_sync_at = @At, last_error = @Error, last_success_at = CASE WHEN @Succeeded = 1 THEN @At ELSE last_success_at END WHERE id = @Id",
            new { Id = id, At = DbTime.ToText(at), Error = error is { Length: > 1000 } ? error[..1000] : error, Succeeded = succeeded ? 1 : 0 },
            scope.Transaction,
            cancellationToken: cancellationToken));
        return true;
    }

    private sealed class SourceRow
    {
        public long Id { get; set; }

        public string OrganizationId { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Type { get; set; } = string.Empty;

        public string Config { get; set; } = "{}";

        public long? IntervalSeconds { get; set; }

        public long Enabled { get; set; }

        public string? LastSyncAt { get; set; }

        public string? LastError { get; set; }

        public string CreatedAt { get; set; } = string.Empty;

        public string? LastSuccessAt { get; set; }

        public IngestionSource ToSource() => new(
            Id, OrganizationId, Name, Type, Config, (int?)IntervalSeconds, Enabled != 0,
            DbTime.ParseText(LastSyncAt, allowNull: true), LastError, DbTime.ParseText(CreatedAt), DbTime.ParseText(LastSuccessAt, allowNull: true));
    }
}
