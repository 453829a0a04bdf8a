namespace IntentVision.Api.Infrastructure;

/// <summary>
/// A failure found before a handler runs (while binding the tenant, reading a body) that must reach the client
/// as problem details with its own status; <see cref="BadRequestExceptionHandler"/> writes it.
/// </summary>
public sealed class ApiProblemException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;
}
