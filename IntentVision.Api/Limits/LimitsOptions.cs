namespace IntentVision.Api.Limits;

/// <summary>
/// Configuration <c>IntentVision:Limits</c>: request rates and ingest quotas per API key and per organization, and
/// how long an invalid key is remembered. A rate or quota of 0 turns that limit off.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "IntentVision:Limits";

    /// <summary>Requests per second one key may send (also the burst); callers without a valid key share this per client address.</summary>
    public int RequestsPerSecondPerKey { get; set; } = 100;

    /// <summary>Requests per second all keys of one organization may send together.</summary>
    public int RequestsPerSecondPerOrganization { get; set; } = 300;

    /// <summary>Points per minute one key may ingest (counted per point, not per request; a minute's worth may come at once).</summary>
    public int IngestPointsPerMinutePerKey { get; set; } = 600_000;

    /// <summary>Points per minute one organization may ingest through all its keys together.</summary>
    public int IngestPointsPerMinutePerOrganization { get; set; } = 1_200_000;

    /// <summary>How long a key found invalid is answered 401 from memory, without another database read.</summary>
    public TimeSpan InvalidKeyCacheLifetime { get; set; } = TimeSpan.FromMinutes(1);
}
