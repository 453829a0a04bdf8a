namespace IntentVision.Api.Notifications;

/// <summary>How one attempt ended. <see cref="Error"/> is a short, tenant-safe category with a few words.</summary>
public sealed record SendResult(bool Delivered, bool Retryable, string? Error, int? StatusCode)
{
    public static readonly SendResult Success = new(true, false, null, null);

    public static SendResult FromStatus(int status) =>
        status is >= 200 and < 300 ? Success with { StatusCode = status }
        : new SendResult(false, status is 408 or 429 or >= 500, $"bad_response: HTTP {status}", status);
}
