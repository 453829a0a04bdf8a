namespace IntentVision.Data.Backup;

/// <summary>What a dump wrote: rows per table, and how many indexes, views and triggers followed them.</summary>
public sealed record DumpResult(IReadOnlyList<TableRowCount> Tables, int Indexes, int Views, int Triggers, string EngineVersion)
{
    public long TotalRows => Tables.Sum(t => t.Rows);
}
