using System.Threading.RateLimiting;
using IntentVision.Api.Auth;
using IntentVision.Api.Infrastructure;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Limits;

/// <summary>
/// Points per minute per key and per organization, counted in points rather than requests: a batch of 10,000 spends
/// 10,000. Taken before anything is written, so a refused batch writes nothing.
/// </summary>
public sealed class IngestQuota : IDisposable
{
    private readonly LimitsOptions _limits;
    private readonly PartitionedRateLimiter<Tenant> _limiter;

    public IngestQuota(IOptions<LimitsOptions> options)
    {
        _limits = options.Value;
        _limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<Tenant, string>(tenant => TokenBuckets.PerMinute("key:" + tenant.KeyId, _limits.IngestPointsPerMinutePerKey)),
            PartitionedRateLimiter.Create<Tenant, string>(tenant => TokenBuckets.PerMinute("org:" + tenant.OrganizationId, _limits.IngestPointsPerMinutePerOrganization)));
    }

    /// <summary>Spends <paramref name="points"/> of the tenant's quota, or throws a 429 problem with Retry-After.</summary>
    public void Take(Tenant tenant, int points)
    {
        if (points <= 0)
        {
            return;
        }

        var smallest = Smallest(_limits.IngestPointsPerMinutePerKey, _limits.IngestPointsPerMinutePerOrganization);
        if (points > smallest)
        {
            throw new ApiProblemException(
                StatusCodes.Status429TooManyRequests,
                "The batch is larger than the ingest quota.",
                $"The batch has {points} points; at most {smallest} points per minute are accepted. Send smaller batches.")
            {
                RetryAfter = TimeSpan.FromMinutes(1),
            };
        }

        using var lease = _limiter.AttemptAcquire(tenant, points);
        if (!lease.IsAcquired)
        {
            throw new ApiProblemException(
                StatusCodes.Status429TooManyRequests,
                "The ingest quota is spent.",
                $"A key may ingest {_limits.IngestPointsPerMinutePerKey} points per minute and an organization {_limits.IngestPointsPerMinutePerOrganization}; nothing of this batch was written.")
            {
                RetryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1),
            };
        }
    }

    public void Dispose() => _limiter.Dispose();

    private static int Smallest(int a, int b) => (a, b) switch
    {
        (<= 0, <= 0) => int.MaxValue,
        (<= 0, _) => b,
        (_, <= 0) => a,
        _ => Math.Min(a, b),
    };
}
