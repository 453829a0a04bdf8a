namespace IntentVision.Data.Backup;

/// <summary>How many rows of a table a dump or a restore carried.</summary>
public sealed record TableRowCount(string Table, long Rows);
