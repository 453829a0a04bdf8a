namespace IntentVision.LibSql.Hrana;

/// <summary>Per-step outcome of a batch: a result, an error, or neither when the step's condition skipped it.</summary>
internal sealed record HranaBatchResult(IReadOnlyList<HranaStatementResult?> StepResults, IReadOnlyList<HranaError?> StepErrors)
{
    public HranaStatementResult? ResultAt(int step) => step < StepResults.Count ? StepResults[step] : null;

    public HranaError? ErrorAt(int step) => step < StepErrors.Count ? StepErrors[step] : null;
}
