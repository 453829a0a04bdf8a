using System.Globalization;

namespace IntentVision.Data.Backup;

/// <summary>
/// How to read a table a page at a time in a stable order: by rowid after the last one seen (each page costs the
/// same however deep), or, for a WITHOUT ROWID table, by primary key with OFFSET.
/// </summary>
internal sealed record PagedQuery(string Select, string? RowIdName, string OrderBy, int PageSize)
{
    public bool UsesRowId => RowIdName is not null;

    public static PagedQuery For(SchemaObject table, IReadOnlyList<TableColumn> columns, int pageSize)
    {
        var columnList = string.Join(",", columns.Select(c => SqlLiteral.QuoteIdentifier(c.Name)));
        var from = " FROM " + SqlLiteral.QuoteIdentifier(table.Name);
        if (!table.IsWithoutRowId)
        {
            // A column may itself be called rowid; SQLite answers to three names for the real one.
            var rowId = new[] { "rowid", "_rowid_", "oid" }.FirstOrDefault(n => !columns.Any(c => string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase)));
            if (rowId is not null)
            {
                return new PagedQuery($"SELECT {columnList},{rowId}{from}", rowId, rowId, pageSize);
            }
        }

        var key = columns.Where(c => c.PrimaryKeyPosition > 0).OrderBy(c => c.PrimaryKeyPosition).Select(c => SqlLiteral.QuoteIdentifier(c.Name)).ToList();
        var orderBy = key.Count > 0 ? string.Join(",", key) : string.Join(",", Enumerable.Range(1, columns.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        return new PagedQuery($"SELECT {columnList}{from}", null, orderBy, pageSize);
    }

    public string Sql(bool hasCursor, long offset) => UsesRowId
        ? $"{Select}{(hasCursor ? $" WHERE {RowIdName} > @after" : string.Empty)} ORDER BY {OrderBy} LIMIT {PageSize.ToString(CultureInfo.InvariantCulture)}"
        : $"{Select} ORDER BY {OrderBy} LIMIT {PageSize.ToString(CultureInfo.InvariantCulture)} OFFSET {offset.ToString(CultureInfo.InvariantCulture)}";
}
