namespace IntentVision.Api.Egress;

/// <summary>An outbound request that failed; <see cref="Exception.Message"/> is safe to show to a tenant.</summary>
public sealed class EgressException(EgressFailure failure, string message, int? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    public EgressFailure Failure { get; } = failure;

    /// <summary>The HTTP status of a <see cref="EgressFailure.BadResponse"/> that had one.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>The category and the short message, as stored on a source or a notification.</summary>
    public string Describe() => $"{Failure.Name()}: {Message}";
}
