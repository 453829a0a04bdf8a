namespace IntentVision.LibSql.Hrana;

/// <summary>A Hrana batch condition: decides on the server whether a step runs, so a script needs one round trip.</summary>
internal sealed record HranaCondition(HranaConditionKind Kind, int Step = 0, IReadOnlyList<HranaCondition>? Operands = null)
{
    /// <summary>Stateless and immutable, so one instance serves every batch.</summary>
    public static readonly HranaCondition InTransaction = Not(new HranaCondition(HranaConditionKind.IsAutocommit));

    public static HranaCondition Ok(int step) => new(HranaConditionKind.Ok, step);

    public static HranaCondition Failed(int step) => new(HranaConditionKind.Error, step);

    public static HranaCondition Not(HranaCondition operand) => new(HranaConditionKind.Not, 0, [operand]);

    public static HranaCondition And(params HranaCondition[] operands) => new(HranaConditionKind.And, 0, operands);
}
