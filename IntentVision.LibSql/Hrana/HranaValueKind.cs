namespace IntentVision.LibSql.Hrana;

/// <summary>The five SQLite storage classes, as Hrana tags them.</summary>
internal enum HranaValueKind : byte
{
    Null = 0,
    Integer,
    Float,
    Text,
    Blob,
}
