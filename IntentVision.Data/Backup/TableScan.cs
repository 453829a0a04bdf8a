using System.Globalization;

namespace IntentVision.Data.Backup;

/// <summary>
/// The one SELECT that reads a whole table in a stable order, for a dump or a fingerprint: by rowid, or for a
/// WITHOUT ROWID table by its primary key (or, with neither, by every column). The rows stream through the reader
/// (stepped on a file, through a cursor on a server), so a table of any size is one query and never sits in memory.
/// </summary>
internal sealed record TableScan(string Sql)
{
    public static TableScan For(SchemaObject table, IReadOnlyList<TableColumn> columns)
    {
        var select = $"SELECT {string.Join(",", columns.Select(c => SqlLiteral.QuoteIdentifier(c.Name)))} FROM {SqlLiteral.QuoteIdentifier(table.Name)} ORDER BY ";
        if (!table.IsWithoutRowId)
        {
            // A column may itself be called rowid; SQLite answers to three names for the real one.
            var rowId = new[] { "rowid", "_rowid_", "oid" }.FirstOrDefault(n => !columns.Any(c => string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase)));
            if (rowId is not null)
            {
                return new TableScan(select + rowId);
            }
        }

        var key = columns.Where(c => c.PrimaryKeyPosition > 0).OrderBy(c => c.PrimaryKeyPosition).Select(c => SqlLiteral.QuoteIdentifier(c.Name)).ToList();
        return new TableScan(select + (key.Count > 0 ? string.Join(",", key) : ByEveryColumn(columns.Count)));
    }

    /// <summary>Every column, in column order (<c>ORDER BY 1,2,...</c>): a total order that depends on nothing but the values.</summary>
    public static string ByEveryColumn(int columnCount) =>
        string.Join(",", Enumerable.Range(1, columnCount).Select(i => i.ToString(CultureInfo.InvariantCulture)));
}
