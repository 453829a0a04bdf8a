using System.Text.RegularExpressions;

namespace IntentVision.Api.Ingestion;

/// <summary>The shapes identifiers must have; the limits the API states in its errors and its README.</summary>
public static partial class InputRules
{
    public const int MaxPointsPerRequest = 10_000;
    public const int MaxDimensions = 16;
    public const int MaxDimensionValueLength = 256;

    /// <summary>Largest ingest body (JSON or CSV) accepted; a larger one is answered 413 before it is parsed.</summary>
    public const long MaxIngestBodyBytes = 8 * 1024 * 1024;

    /// <summary>Largest body of any other request.</summary>
    public const long MaxOtherBodyBytes = 1024 * 1024;

    /// <summary>How long an Idempotency-Key and its answer are kept.</summary>
    public static readonly TimeSpan IdempotencyLifetime = TimeSpan.FromHours(24);

    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>Points may not be older than this (the Unix epoch) ...</summary>
    public static readonly DateTimeOffset EarliestTimestamp = DateTimeOffset.UnixEpoch;

    /// <summary>... nor further in the future than this, against the server's clock.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    public static partial Regex OrganizationId();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.:/\-]{0,199}$")]
    public static partial Regex MetricKey();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}$")]
    public static partial Regex DimensionKey();
}
