namespace IntentVision.Data.Backup;

/// <summary>What a restore did: statements run, rows per table afterwards, objects it replaced, and how long the one transaction took.</summary>
public sealed record RestoreResult(int Statements, IReadOnlyList<TableRowCount> Tables, int ReplacedObjects, double DurationMs)
{
    public long TotalRows => Tables.Sum(t => t.Rows);
}
