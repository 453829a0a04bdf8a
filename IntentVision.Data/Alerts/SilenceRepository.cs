using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Alerts;

/// <summary>Silences. Writes go through the one <see cref="DatabaseWriter"/>; reads use pooled connections.</summary>
public sealed class SilenceRepository(LibSqlDataSource dataSource, DatabaseWriter writer, TimeProvider timeProvider)
{
    private const string SelectColumns = """
        SELECT id AS Id, organization_id AS OrganizationId, matchers AS Matchers, starts_at AS StartsAt, ends_at AS EndsAt, comment AS Comment,
               created_by AS CreatedBy, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM silences
        """;

    public async Task<Silence> CreateAsync(string organizationId, string matchers, DateTimeOffset startsAt, DateTimeOffset endsAt, string comment, string createdBy, CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        var id = await writer.WriteAsync((scope, token) => scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO silences (organization_id, matchers, starts_at, ends_at, comment, created_by, created_at, updated_at)
            VALUES (@OrganizationId, @Matchers, @StartsAt, @EndsAt, @Comment, @CreatedBy, @Now, @Now) RETURNING id
            """,
            new { OrganizationId = organizationId, Matchers = matchers, StartsAt = DbTime.ToText(startsAt), EndsAt = DbTime.ToText(endsAt), Comment = comment, CreatedBy = createdBy, Now = now },
            scope.Transaction,
            cancellationToken: token)), cancellationToken);
        return (await GetAsync(organizationId, id, cancellationToken))!;
    }

    public async Task<Silence?> GetAsync(string organizationId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SilenceRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND id = @Id", new { OrganizationId = organizationId, Id = id }, cancellationToken: cancellationToken));
        return row?.ToSilence();
    }

    /// <summary>An organization's silences, the latest ending first; with <paramref name="activeAt"/>, only those in force then.</summary>
    public async Task<IReadOnlyList<Silence>> ListAsync(string organizationId, DateTimeOffset? activeAt, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var at = activeAt is { } a ? DbTime.ToText(a) : null;
        var rows = await connection.QueryAsync<SilenceRow>(new CommandDefinition(
            SelectColumns + " WHERE organization_id = @OrganizationId AND (@At IS NULL OR (starts_at <= @At AND ends_at > @At)) ORDER BY ends_at DESC, id DESC LIMIT @Limit",
            new { OrganizationId = organizationId, At = at, Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSilence()).ToList();
    }

    /// <summary>Ends a silence now (it stays listed, as expired). Null when there is no such silence.</summary>
    public async Task<Silence?> ExpireAsync(string organizationId, long id, CancellationToken cancellationToken = default)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        await writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE silences SET ends_at = CASE WHEN ends_at > @Now THEN @Now ELSE ends_at END, starts_at = CASE WHEN starts_at > @Now THEN @Now ELSE starts_at END, updated_at = @Now WHERE organization_id = @OrganizationId AND id = @Id",
                new { OrganizationId = organizationId, Id = id, Now = now }, scope.Transaction, cancellationToken: token)),
            cancellationToken);
        return await GetAsync(organizationId, id, cancellationToken);
    }

    private sealed class SilenceRow
    {
        public long Id { get; set; }

        public string OrganizationId { get; set; } = string.Empty;

        public string Matchers { get; set; } = "[]";

        public string StartsAt { get; set; } = string.Empty;

        public string EndsAt { get; set; } = string.Empty;

        public string Comment { get; set; } = string.Empty;

        public string CreatedBy { get; set; } = string.Empty;

        public string CreatedAt { get; set; } = string.Empty;

        public string UpdatedAt { get; set; } = string.Empty;

        public Silence ToSilence() => new(
            Id, OrganizationId, Matchers, DbTime.ParseText(StartsAt), DbTime.ParseText(EndsAt), Comment, CreatedBy, DbTime.ParseText(CreatedAt), DbTime.ParseText(UpdatedAt));
    }
}
