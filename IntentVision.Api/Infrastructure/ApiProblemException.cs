namespace IntentVision.Api.Infrastructure;

/// <summary>
/// A failure found outside a handler's own result (while binding the tenant, reading a body, checking a quota) that
/// must reach the client as problem details with its own status; <see cref="ApiExceptionHandler"/> writes it.
/// </summary>
public sealed class ApiProblemException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;

    /// <summary>When the client may try again (sent as <c>Retry-After</c>), for 429 and 503.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
