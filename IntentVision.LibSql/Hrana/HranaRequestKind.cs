namespace IntentVision.LibSql.Hrana;

internal enum HranaRequestKind
{
    Execute,
    Batch,
    Close,
    GetAutocommit,
}
