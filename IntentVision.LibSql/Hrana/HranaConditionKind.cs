namespace IntentVision.LibSql.Hrana;

internal enum HranaConditionKind
{
    Ok,
    Error,
    Not,
    And,
    Or,
    IsAutocommit,
}
