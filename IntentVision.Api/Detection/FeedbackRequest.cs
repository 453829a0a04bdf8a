using IntentVision.Api.Auth;

namespace IntentVision.Api.Detection;

/// <summary>The body of <c>POST /api/anomalies/{id}/feedback</c>. Verdict: <c>not_anomaly</c>.</summary>
public sealed record FeedbackRequest(string? Verdict, string? Comment)
{
    public const int MaxCommentLength = 2000;

    /// <summary>Who gave a verdict, as the API names callers: the key's id.</summary>
    public static string Caller(Tenant tenant) => $"key:{tenant.KeyId}";
}
