namespace IntentVision.LibSql.Hrana;

/// <summary>One request of a <c>/v3/pipeline</c> body.</summary>
internal sealed record HranaRequest(HranaRequestKind Kind, HranaStatement? Statement = null, IReadOnlyList<HranaBatchStep>? Steps = null)
{
    public static readonly HranaRequest Close = new(HranaRequestKind.Close);

    /// <summary>Whether the stream is outside any transaction (Hrana 3); the answer's <see cref="HranaStreamResult.IsAutocommit"/>.</summary>
    public static readonly HranaRequest GetAutocommit = new(HranaRequestKind.GetAutocommit);

    public static HranaRequest Execute(HranaStatement statement) => new(HranaRequestKind.Execute, statement);

    public static HranaRequest Batch(IReadOnlyList<HranaBatchStep> steps) => new(HranaRequestKind.Batch, Steps: steps);
}
