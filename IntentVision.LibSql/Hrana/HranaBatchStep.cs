namespace IntentVision.LibSql.Hrana;

/// <summary>One step of a Hrana batch: a statement that runs only when its condition (if any) holds.</summary>
internal sealed record HranaBatchStep(HranaStatement Statement, HranaCondition? Condition = null);
