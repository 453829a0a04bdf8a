using IntentVision.Data.Idempotency;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Jobs;

/// <summary>Deletes idempotency keys past their 24 hours (expired ones are ignored on read anyway; this only frees space).</summary>
public sealed class IdempotencyCleanupJob(IdempotencyRepository idempotency, IOptions<IdempotencyCleanupOptions> options, TimeProvider time, ILogger<IdempotencyCleanupJob> logger)
    : PeriodicJob<IdempotencyCleanupOptions>(options, time, logger)
{
    public override Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken) => idempotency.DeleteExpiredAsync(now, cancellationToken);
}
