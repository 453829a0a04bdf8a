using Dapper;

namespace IntentVision.Data.Writing;

/// <summary>
/// Writes shared by the tables whose rows belong to an organization and carry a name unique within it (alert rules,
/// notification policies): a rename that must not take another row's name, and a delete scoped to the organization.
/// </summary>
internal static class NamedRowWrites
{
    /// <summary>
    /// Runs <paramref name="updateSql"/> (which binds <c>@OrganizationId</c> and <c>@Id</c>) unless another row of the
    /// organization already has <paramref name="name"/>. The check and the update are one unit of the writer, so no
    /// other write comes between them. Returns (rows changed, name taken).
    /// </summary>
    public static Task<(int Changed, bool NameTaken)> UpdateUnlessNameTakenAsync(
        DatabaseWriter writer, string table, string organizationId, long id, string name, string updateSql, object parameters, CancellationToken cancellationToken) =>
        writer.WriteAsync(async (scope, token) =>
        {
            if (await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    $"SELECT count(*) FROM {table} WHERE organization_id = @OrganizationId AND name = @Name AND id <> @Id",
                    new { OrganizationId = organizationId, Name = name, Id = id }, scope.Transaction, cancellationToken: token)) > 0)
            {
                return (0, true);
            }

            return (await scope.Connection.ExecuteAsync(new CommandDefinition(updateSql, parameters, scope.Transaction, cancellationToken: token)), false);
        }, cancellationToken);

    /// <summary>Deletes row <paramref name="id"/> of <paramref name="table"/> if it belongs to the organization.</summary>
    public static async Task<bool> DeleteAsync(DatabaseWriter writer, string table, string organizationId, long id, CancellationToken cancellationToken) =>
        await writer.WriteAsync(
            (scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM {table} WHERE organization_id = @OrganizationId AND id = @Id", new { OrganizationId = organizationId, Id = id }, scope.Transaction, cancellationToken: token)),
            cancellationToken) > 0;
}
