namespace IntentVision.Dashboard.Services;

/// <summary>
/// The outcome of a write: the value, or the API's problem (a refused write is an answer to show next to the
/// fields, not an exception). A write the API could not be reached for still throws, like a read.
/// </summary>
public sealed record ApiWriteResult<T>(T? Value, ApiProblemDto? Problem)
{
    public bool Succeeded => Problem is null;
}
