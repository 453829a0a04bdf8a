namespace IntentVision.Api.Auth;

/// <summary>What a key may do. <see cref="Admin"/> includes the other three within its organization.</summary>
public static class Scopes
{
    public const string IngestWrite = "ingest:write";
    public const string MetricsRead = "metrics:read";
    public const string AlertsWrite = "alerts:write";
    public const string Admin = "admin";

    /// <summary>Authorization policy for the bootstrap key only: creating organizations, listing all of them.</summary>
    public const string PlatformAdmin = "platform-admin";

    public static readonly IReadOnlyList<string> All = [IngestWrite, MetricsRead, AlertsWrite, Admin];
}
