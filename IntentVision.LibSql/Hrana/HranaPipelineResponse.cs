namespace IntentVision.LibSql.Hrana;

/// <summary>A <c>/v3/pipeline</c> response: the baton for the next request on the stream (null once closed) and one result per request.</summary>
internal sealed record HranaPipelineResponse(string? Baton, string? BaseUrl, IReadOnlyList<HranaStreamResult> Results);
