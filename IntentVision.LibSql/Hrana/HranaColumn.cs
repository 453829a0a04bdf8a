namespace IntentVision.LibSql.Hrana;

/// <summary>A result column: its name and, when it comes straight from a table, its declared type.</summary>
internal sealed record HranaColumn(string Name, string? DeclaredType);
