namespace IntentVision.LibSql.Hrana;

/// <summary>The outcome of one pipeline request: an error, or the response of its kind.</summary>
internal sealed record HranaStreamResult(
    HranaError? Error,
    HranaStatementResult? Execute = null,
    HranaBatchResult? Batch = null,
    bool? IsAutocommit = null);
