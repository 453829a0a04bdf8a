namespace IntentVision.Api.Egress;

/// <summary>
/// What a tenant is told when an outbound request fails: a short category, never socket detail (which would turn
/// the API into a port scanner).
/// </summary>
public enum EgressFailure
{
    /// <summary>The destination resolves only to addresses the egress policy denies.</summary>
    RefusedByPolicy,

    /// <summary>No answer within the time allowed.</summary>
    TimedOut,

    /// <summary>The host did not resolve or refused the connection.</summary>
    ConnectionFailed,

    /// <summary>An answer that is not usable: an error status, a redirect, too large, malformed.</summary>
    BadResponse,
}

public static class EgressFailureNames
{
    /// <summary>The stable snake_case name stored and shown (<c>refused_by_policy</c>, <c>timed_out</c>, ...).</summary>
    public static string Name(this EgressFailure failure) => failure switch
    {
        EgressFailure.RefusedByPolicy => "refused_by_policy",
        EgressFailure.TimedOut => "timed_out",
        EgressFailure.ConnectionFailed => "connection_failed",
        _ => "bad_response",
    };
}
