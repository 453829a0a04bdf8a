namespace IntentVision.Data.Backup;

/// <summary>One entry of <c>sqlite_master</c> that a dump carries: a table, index, view or trigger and its CREATE statement.</summary>
public sealed record SchemaObject(string Type, string Name, string TableName, string Sql)
{
    public bool IsTable => Type == "table";

    public bool IsVirtualTable => IsTable && Sql.StartsWith("CREATE VIRTUAL TABLE", StringComparison.OrdinalIgnoreCase);

    public bool IsWithoutRowId => IsTable && Sql.TrimEnd().EndsWith("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase);
}
