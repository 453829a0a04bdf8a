using System.Threading.RateLimiting;

namespace IntentVision.Api.Limits;

/// <summary>The token buckets the limits are made of: a rate per second or per minute, a whole period's worth as burst.</summary>
internal static class TokenBuckets
{
    public static RateLimitPartition<string> PerSecond(string partition, int rate) => Bucket(partition, rate, rate);

    /// <summary>Refilled every second by a sixtieth, so a client throttled for a minute's quota can go on a second later.</summary>
    public static RateLimitPartition<string> PerMinute(string partition, int rate) => Bucket(partition, rate, Math.Max(1, (rate + 59) / 60));

    private static RateLimitPartition<string> Bucket(string partition, int limit, int perSecond) => limit <= 0
        ? RateLimitPartition.GetNoLimiter(partition)
        : RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
