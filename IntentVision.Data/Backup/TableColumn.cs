namespace IntentVision.Data.Backup;

/// <summary>A stored column of a table (generated and hidden columns excluded): its name and its place in the primary key (0 if none).</summary>
public sealed record TableColumn(string Name, int PrimaryKeyPosition);
